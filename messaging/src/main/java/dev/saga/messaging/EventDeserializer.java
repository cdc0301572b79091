package dev.saga.messaging;

import dev.saga.events.EventType;
import dev.saga.events.SagaEvent;
import io.cloudevents.CloudEvent;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a consumed record into its event record: a CloudEvent whose {@code ce_type} and {@code
 * ce_dataschema} name a type that belongs on the record's topic, with a payload valid against that
 * type's schema. Anything else is an {@link InvalidEventException}, which the container's
 * error-handling deserializer turns into a dead-lettered record.
 */
public final class EventDeserializer implements Deserializer<SagaEvent> {

  private final EventCodec codec = EventCodec.instance();

  @Override
  public SagaEvent deserialize(String topic, byte[] data) {
    throw new InvalidEventException("A record without headers is not a CloudEvent");
  }

  @Override
  public SagaEvent deserialize(String topic, Headers headers, byte[] data) {
    CloudEvent event = CloudEventRecords.read(headers, data);
    String dataSchema = event.getDataSchema() == null ? null : event.getDataSchema().toString();
    EventType type =
        EventType.resolve(topic, event.getType(), dataSchema)
            .orElseThrow(
                () ->
                    new InvalidEventException(
                        "Unknown event type "
                            + event.getType()
                            + " ("
                            + dataSchema
                            + ") on topic "
                            + topic));
    byte[] payload = event.getData() == null ? new byte[0] : event.getData().toBytes();
    return codec.decode(type, payload);
  }
}
