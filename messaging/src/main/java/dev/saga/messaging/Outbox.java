package dev.saga.messaging;

import dev.saga.events.EventType;
import dev.saga.events.SagaEvent;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where an application service puts the events its state change announces. The event is stored in
 * the same database transaction as the change, so it is published if and only if the change
 * commits; the {@link OutboxRelay} is woken when it does.
 */
public class Outbox {

  private final JdbcClient jdbc;
  private final String source;
  private final Supplier<String> traceParent;
  private final Runnable onCommit;

  Outbox(JdbcClient jdbc, String source, Supplier<String> traceParent, Runnable onCommit) {
    this.jdbc = jdbc;
    // A source that is not a URI would make every row unpublishable: refuse it at startup.
    this.source = java.net.URI.create(source).toString();
    this.traceParent = traceParent;
    this.onCommit = onCommit;
  }

  /**
   * Stores {@code event} for publication when the current transaction commits, in the trace of the
   * current span.
   *
   * @return the attributes the event will be published with
   * @throws IllegalStateException if no transaction is active: an event outside the state change's
   *     transaction could be published for a change that never happened
   * @throws IllegalArgumentException if the event does not match its schema
   */
  public EventEnvelope add(SagaEvent event) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "An event must be added in the transaction of the state change it announces");
    }
    EventType type = EventType.of(event);
    byte[] payload = EventCodec.instance().encode(event);
    UUID eventId = UUID.randomUUID();
    String trace = traceParent.get();
    OffsetDateTime createdAt =
        jdbc.sql(
                """
                insert into outbox (event_id, topic, msg_key, event_type, data_schema, source, payload, trace_parent)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                returning created_at
                """)
            .params(
                eventId,
                type.topic(),
                event.subject(),
                type.wireName(),
                type.dataSchema(),
                source,
                payload,
                trace)
            .query(OffsetDateTime.class)
            .single();
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            onCommit.run();
          }
        });
    return new EventEnvelope(
        eventId, type.wireName(), source, createdAt.toInstant(), event.subject(), trace);
  }
}
