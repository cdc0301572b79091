package dev.saga.inventory.reservation;

/**
 * An order event that cannot happen in the reservation's state, such as a confirmation of an order
 * whose stock was never reserved: the order service decides one outcome per order.
 */
class ImpossibleEventException extends RuntimeException {

  ImpossibleEventException(String message) {
    super(message);
  }
}
