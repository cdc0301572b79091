package dev.saga.events;

import java.util.UUID;

/** Events produced by the order service, all on {@link Topics#ORDERS}, keyed by order id. */
public sealed interface OrderEvent extends SagaEvent
    permits OrderPlaced, OrderConfirmed, CancelOrder {

  UUID orderId();

  @Override
  default String subject() {
    return orderId().toString();
  }
}
