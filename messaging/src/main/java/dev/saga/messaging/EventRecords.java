package dev.saga.messaging;

import dev.saga.events.EventType;
import dev.saga.events.SagaEvent;
import dev.saga.messaging.CloudEventRecords.OutboxEntry;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka records exactly as the relay publishes events, for tools that put events on a topic
 * themselves: tests that deliver an event twice, operators replaying one.
 */
public final class EventRecords {

  private EventRecords() {}

  /** The record the relay would publish for {@code event} with id {@code eventId}. */
  public static ProducerRecord<String, byte[]> of(SagaEvent event, UUID eventId, String source) {
    EventType type = EventType.of(event);
    return CloudEventRecords.toRecord(
        new OutboxEntry(
            0,
            eventId,
            type.topic(),
            event.subject(),
            type.wireName(),
            type.dataSchema(),
            source,
            EventCodec.instance().encode(event),
            null,
            OffsetDateTime.now(ZoneOffset.UTC)));
  }

  /** The event a consumed record carries, read as a consumer reads it. */
  public static SagaEvent read(
      String topic, org.apache.kafka.common.header.Headers headers, byte[] value) {
    return new EventDeserializer().deserialize(topic, headers, value);
  }
}
