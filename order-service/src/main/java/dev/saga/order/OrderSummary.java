package dev.saga.order;

import dev.saga.events.CancelOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An order at a glance, without its lines and history: for lists and live updates.
 *
 * @param traceParent the W3C {@code traceparent} the order was placed in, or {@code null}
 */
public record OrderSummary(
    UUID orderId,
    String customerId,
    OrderStatus status,
    CancelOrder.Reason cancellationReason,
    BigDecimal totalAmount,
    String currency,
    Instant createdAt,
    Instant updatedAt,
    String traceParent) {

  public static OrderSummary of(Order order) {
    return new OrderSummary(
        order.id(),
        order.customerId(),
        order.status(),
        order.cancellationReason().orElse(null),
        order.totalAmount(),
        order.currency(),
        order.createdAt(),
        order.updatedAt(),
        order.traceParent().orElse(null));
  }
}
