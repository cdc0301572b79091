package dev.saga.order.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.order.OrderProperties;
import dev.saga.test.ServiceTest;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Idempotency keys are kept for the retention period, then forgotten. */
@ServiceTest
class IdempotencyKeyCleanupTests {

  @Autowired IdempotencyKeyCleanup cleanup;
  @Autowired OrderProperties settings;
  @Autowired JdbcClient jdbc;

  @Test
  void forgetsKeysOlderThanTheRetentionAndKeepsTheOthers() {
    String expired = "expired-" + UUID.randomUUID();
    String kept = "kept-" + UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now();
    store(expired, now.minus(settings.idempotencyRetention()).minusMinutes(1));
    store(kept, now.minus(settings.idempotencyRetention()).plusMinutes(5));

    cleanup.deleteExpiredKeys();

    assertThat(stored(expired)).isZero();
    assertThat(stored(kept)).isOne();
  }

  private void store(String key, OffsetDateTime createdAt) {
    jdbc.sql(
            """
            insert into idempotency_keys (key, request, response_body, location, created_at)
            values (?, '{}', '{}', '/api/orders/x', ?)
            """)
        .params(key, createdAt)
        .update();
  }

  private long stored(String key) {
    return jdbc.sql("select count(*) from idempotency_keys where key = ?")
        .param(key)
        .query(Long.class)
        .single();
  }
}
