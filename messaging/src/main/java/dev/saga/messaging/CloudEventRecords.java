package dev.saga.messaging;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 over Kafka in binary content mode: the record value is the JSON payload and the
 * attributes travel as {@code ce_*} headers, next to the W3C {@code traceparent}.
 */
final class CloudEventRecords {

  static final String ID_HEADER = "ce_id";
  static final String TRACEPARENT_HEADER = "traceparent";
  private static final String CONTENT_TYPE = "application/json";

  private CloudEventRecords() {}

  /** The record for one outbox row, keyed by the event's subject. */
  static ProducerRecord<String, byte[]> toRecord(OutboxEntry entry) {
    CloudEvent event =
        CloudEventBuilder.v1()
            .withId(entry.eventId().toString())
            .withType(entry.eventType())
            .withSource(URI.create(entry.source()))
            .withTime(entry.createdAt())
            .withSubject(entry.key())
            .withDataSchema(URI.create(entry.dataSchema()))
            .withDataContentType(CONTENT_TYPE)
            .withData(entry.payload())
            .build();
    ProducerRecord<String, byte[]> record =
        KafkaMessageFactory.<String>createWriter(entry.topic(), entry.key()).writeBinary(event);
    if (entry.traceParent() != null) {
      record
          .headers()
          .add(TRACEPARENT_HEADER, entry.traceParent().getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  /**
   * The CloudEvent a consumed record carries.
   *
   * @throws InvalidEventException if the record is not a binary-mode CloudEvent
   */
  static CloudEvent read(Headers headers, byte[] value) {
    try {
      return KafkaMessageFactory.createReader(headers, value).toEvent();
    } catch (CloudEventRWException | IllegalArgumentException | IllegalStateException e) {
      throw new InvalidEventException("Not a CloudEvent: " + e.getMessage(), e);
    }
  }

  /**
   * The CloudEvents attributes of a consumed record, read from its headers.
   *
   * @throws InvalidEventException if a required attribute is missing or malformed
   */
  static EventEnvelope envelope(Headers headers) {
    UUID id = eventId(headers);
    String type = text(headers, "ce_type");
    String source = text(headers, "ce_source");
    String time = text(headers, "ce_time");
    if (id == null || type == null || source == null || time == null) {
      throw new InvalidEventException("Record without ce_id, ce_type, ce_source or ce_time");
    }
    try {
      return new EventEnvelope(
          id,
          type,
          source,
          OffsetDateTime.parse(time).toInstant(),
          text(headers, "ce_subject"),
          text(headers, TRACEPARENT_HEADER));
    } catch (DateTimeParseException e) {
      throw new InvalidEventException("ce_time is not an RFC 3339 time: " + time, e);
    }
  }

  /** Replaces the record's {@code traceparent}: the context it is published in. */
  static void setTraceParent(Headers headers, String traceParent) {
    headers.remove(TRACEPARENT_HEADER);
    if (traceParent != null) {
      headers.add(TRACEPARENT_HEADER, traceParent.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The event id ({@code ce_id}) of a consumed record, or {@code null} if it has none. */
  static UUID eventId(Headers headers) {
    Header header = headers.lastHeader(ID_HEADER);
    if (header == null) {
      return null;
    }
    try {
      return UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("ce_id is not a UUID", e);
    }
  }

  /** An outbox row: everything needed to publish one event. */
  record OutboxEntry(
      long id,
      UUID eventId,
      String topic,
      String key,
      String eventType,
      String dataSchema,
      String source,
      byte[] payload,
      String traceParent,
      OffsetDateTime createdAt) {}
}
