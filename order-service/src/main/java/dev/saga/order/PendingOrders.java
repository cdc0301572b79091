package dev.saga.order;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The orders whose saga is still running ({@code PENDING}) in all instances of the service: what
 * the order service admits new orders by. One statement on the partial index of pending orders, in
 * the caller's transaction if there is one.
 */
@Repository
public class PendingOrders {

  private final JdbcClient jdbc;

  PendingOrders(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** How many orders are {@code PENDING} now, and when the oldest of them was placed. */
  public Count count() {
    return jdbc.sql("select count(*), min(created_at) from orders where status = 'PENDING'")
        .query(
            (rs, row) ->
                new Count(
                    rs.getLong(1),
                    Optional.ofNullable(rs.getTimestamp(2)).map(Timestamp::toInstant)))
        .single();
  }

  /** Orders pending, and when the oldest of them was placed (empty when there is none). */
  public record Count(long orders, Optional<Instant> oldest) {}
}
