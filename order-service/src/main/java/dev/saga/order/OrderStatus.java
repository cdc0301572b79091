package dev.saga.order;

/** Where an order stands in its saga; {@code CONFIRMED} and {@code CANCELLED} are final. */
public enum OrderStatus {
  PENDING,
  CONFIRMED,
  CANCELLED
}
