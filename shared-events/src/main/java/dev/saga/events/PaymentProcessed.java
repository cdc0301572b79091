package dev.saga.events;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A charge or refund for an order was decided. {@code reason} is set only when {@code status} is
 * {@code FAILED}.
 */
public record PaymentProcessed(
    UUID orderId,
    UUID paymentId,
    String customerId,
    Status status,
    BigDecimal amount,
    String currency,
    Reason reason)
    implements PaymentEvent {

  @Override
  public String subject() {
    return orderId.toString();
  }

  /** What happened to the payment. */
  public enum Status {
    SUCCEEDED,
    FAILED,
    REFUNDED
  }

  /** Why a charge failed. */
  public enum Reason {
    INSUFFICIENT_FUNDS,
    UNKNOWN_ACCOUNT,
    ORDER_CANCELLED
  }
}
