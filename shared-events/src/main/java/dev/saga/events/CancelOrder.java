package dev.saga.events;

import java.util.UUID;

/**
 * The order's outcome: cancelled. The compensation signal: whoever reserved or charged for this
 * order undoes it.
 */
public record CancelOrder(UUID orderId, String customerId, Reason reason) implements OrderEvent {

  /** Why the order was cancelled. */
  public enum Reason {
    OUT_OF_STOCK,
    PAYMENT_DECLINED,
    TIMEOUT,
    CUSTOMER_CANCELLED
  }
}
