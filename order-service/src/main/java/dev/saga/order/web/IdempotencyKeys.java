package dev.saga.order.web;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code Idempotency-Key}s of placed orders, each with the request it came with and the
 * response it was answered with. Keys are global and kept for the retention period.
 */
@Repository
class IdempotencyKeys {

  private final JdbcClient jdbc;

  IdempotencyKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Takes {@code key} for the current transaction, without waiting.
   *
   * @return {@code false} if another transaction, a request with the same key in flight, holds it
   */
  boolean tryLock(String key) {
    return jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended(?, 0))")
        .param(key)
        .query(Boolean.class)
        .single();
  }

  Optional<Stored> find(String key) {
    return jdbc.sql("select request, response_body, location from idempotency_keys where key = ?")
        .param(key)
        .query(
            (rs, row) ->
                new Stored(
                    rs.getString("request"),
                    rs.getString("response_body"),
                    rs.getString("location")))
        .optional();
  }

  void save(String key, Stored stored) {
    jdbc.sql(
            """
            insert into idempotency_keys (key, request, response_body, location)
            values (?, ?, ?, ?)
            """)
        .params(key, stored.request(), stored.responseBody(), stored.location())
        .update();
  }

  /** Forgets the keys stored more than {@code retention} ago. */
  int deleteOlderThan(Duration retention) {
    return jdbc.sql("delete from idempotency_keys where created_at < ?")
        .param(OffsetDateTime.now().minus(retention))
        .update();
  }

  /**
   * What a key was used for.
   *
   * @param request the request, as canonical JSON
   * @param responseBody the body of the response, as JSON
   * @param location the response's {@code Location}
   */
  record Stored(String request, String responseBody, String location) {}
}
