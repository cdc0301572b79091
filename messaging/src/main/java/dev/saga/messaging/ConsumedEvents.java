package dev.saga.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The CloudEvents attributes of the event a listener is applying right now, for a service that
 * records where its inputs came from (an order's timeline, say) without reading Kafka headers
 * itself.
 */
public class ConsumedEvents {

  ConsumedEvents() {}

  /**
   * The attributes of the record the listener container is delivering on this thread.
   *
   * @throws IllegalStateException if no listener container is delivering a record on this thread
   */
  public EventEnvelope current() {
    ConsumerRecord<?, ?> record = IdempotentConsumer.delivering();
    if (record == null) {
      throw new IllegalStateException("No event is being consumed on this thread");
    }
    return CloudEventRecords.envelope(record.headers());
  }
}
