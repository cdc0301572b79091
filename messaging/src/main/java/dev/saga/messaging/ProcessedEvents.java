package dev.saga.messaging;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dedup table: which events each consumer group has applied. Marking is insert-first, in the
 * effect's transaction: the insert either creates the row (first delivery) or finds it taken
 * (duplicate); two concurrent deliveries serialize on the primary key.
 */
class ProcessedEvents {

  private final JdbcClient jdbc;

  ProcessedEvents(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records the event as applied by {@code consumer}; {@code false} if it already was. */
  boolean markFirstDelivery(String consumer, UUID eventId) {
    return jdbc.sql(
                "insert into processed_events (consumer, event_id) values (?, ?) on conflict do nothing")
            .params(consumer, eventId)
            .update()
        == 1;
  }

  /** Forgets ids older than {@code retention}; the topics no longer hold their records. */
  int forgetOlderThan(Duration retention) {
    return jdbc.sql("delete from processed_events where processed_at < ?")
        .param(OffsetDateTime.now().minus(retention))
        .update();
  }
}
