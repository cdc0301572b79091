package dev.saga.order.timeline;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderPlaced;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.ProductChanged;
import dev.saga.events.SagaEvent;
import dev.saga.messaging.EventEnvelope;
import dev.saga.messaging.SagaTracing;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One event of an order's saga, whichever service published it: its id, type and what it said
 * ({@code detail}: a status, an outcome or a reason), who published it and when ({@code ce_source},
 * {@code ce_time}), and the trace it was published in.
 */
public record TimelineEntry(
    UUID eventId, String type, String detail, String source, Instant time, String traceParent) {

  /** The entry of {@code event}, published with the attributes of {@code envelope}. */
  public static TimelineEntry of(EventEnvelope envelope, SagaEvent event) {
    return new TimelineEntry(
        envelope.id(),
        envelope.type(),
        detail(event),
        envelope.source(),
        envelope.time(),
        envelope.traceParent());
  }

  /**
   * The status or outcome the event reported, the first word of its detail (e.g. {@code REJECTED}
   * of {@code REJECTED OUT_OF_STOCK}); {@code null} if it has no detail.
   */
  public String status() {
    return detail == null ? null : detail.split(" ", 2)[0];
  }

  /** The publishing service: the source without its leading slash. */
  public String service() {
    return source.startsWith("/") ? source.substring(1) : source;
  }

  /** The id of the trace the event was published in. */
  public Optional<String> traceId() {
    return SagaTracing.traceId(traceParent);
  }

  /**
   * Whether the event undoes or refuses part of the saga: a cancellation, a released reservation, a
   * refund, a rejected reservation or a failed payment.
   */
  public boolean compensating() {
    return type.equals("CancelOrder")
        || (detail != null
            && (detail.startsWith("RELEASED")
                || detail.startsWith("REFUNDED")
                || detail.startsWith("REJECTED")
                || detail.startsWith("FAILED")));
  }

  private static String detail(SagaEvent event) {
    return switch (event) {
      case OrderPlaced placed -> null;
      case OrderConfirmed confirmed -> null;
      case CancelOrder cancel -> cancel.reason().name();
      case InventoryUpdated updated ->
          updated.reason() == null
              ? updated.status().name()
              : updated.status() + " " + updated.reason();
      case PaymentProcessed payment ->
          payment.reason() == null
              ? payment.status().name()
              : payment.status() + " " + payment.reason();
      case NotificationSent sent -> sent.outcome().name();
      case ProductChanged changed -> null;
    };
  }
}
