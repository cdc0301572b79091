package dev.saga.messaging;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Part of the quiet state: {@code BUSY} while the outbox holds unpublished events. */
class OutboxHealthIndicator implements HealthIndicator {

  private final JdbcClient jdbc;

  OutboxHealthIndicator(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Health health() {
    return jdbc.sql("select count(*) as pending, min(created_at) as oldest from outbox")
        .query(
            (rs, row) -> {
              long pending = rs.getLong("pending");
              if (pending == 0) {
                return Health.up().withDetail("pending", 0).build();
              }
              OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
              return Health.status(QuietState.BUSY)
                  .withDetail("pending", pending)
                  .withDetail(
                      "oldestAge", Duration.between(oldest, OffsetDateTime.now()).toString())
                  .build();
            })
        .single();
  }
}
