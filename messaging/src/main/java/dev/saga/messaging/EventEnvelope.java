package dev.saga.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The CloudEvents attributes of one event, as they travel in its record's headers: which event it
 * is, who published it and when, what it is about, and the trace it belongs to.
 *
 * @param id the event id ({@code ce_id}), the dedup key
 * @param type the wire type name ({@code ce_type}), e.g. {@code OrderPlaced}
 * @param source the publishing service ({@code ce_source}), e.g. {@code /order-service}
 * @param time when the event was written to its publisher's outbox ({@code ce_time})
 * @param subject the id of the aggregate it is about ({@code ce_subject}): orderId or productId
 * @param traceParent the W3C {@code traceparent} it was published in, or {@code null}
 */
public record EventEnvelope(
    UUID id, String type, String source, Instant time, String subject, String traceParent) {

  /** The id of the trace the event was published in. */
  public Optional<String> traceId() {
    return SagaTracing.traceId(traceParent);
  }

  /** The publishing service's name: the source without its leading slash. */
  public String service() {
    return source.startsWith("/") ? source.substring(1) : source;
  }
}
