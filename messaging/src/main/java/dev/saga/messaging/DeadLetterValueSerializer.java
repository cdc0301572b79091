package dev.saga.messaging;

import dev.saga.events.SagaEvent;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes the value of a dead-lettered record: the original bytes of a record that could not be
 * read, or the wire payload of a well-formed event that was rejected.
 */
final class DeadLetterValueSerializer implements Serializer<Object> {

  @Override
  public byte[] serialize(String topic, Object value) {
    return switch (value) {
      case null -> null;
      case byte[] bytes -> bytes;
      case SagaEvent event -> EventCodec.instance().encode(event);
      default -> throw new IllegalArgumentException("Cannot dead-letter a " + value.getClass());
    };
  }
}
