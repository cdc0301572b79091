package dev.saga.order;

import java.util.UUID;

/** A customer asked to cancel an order whose outcome is already {@code CONFIRMED}. */
public class OrderAlreadyConfirmedException extends RuntimeException {

  public OrderAlreadyConfirmedException(UUID orderId) {
    super("Order " + orderId + " is already confirmed and can no longer be cancelled");
  }
}
