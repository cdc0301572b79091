package dev.saga.inventory.reservation;

/** Where an order's saga stands for the inventory. */
enum ReservationStatus {
  /** Opened by the order's first event; nothing decided yet (never committed in this state). */
  NEW,
  /** Every line's stock is held for the order. */
  RESERVED,
  /** Nothing was held: a product was unknown or inactive, or stock was short. */
  REJECTED,
  /** The order was cancelled after its stock was held; the stock is available again. */
  RELEASED,
  /** The order was confirmed; its stock is sold. */
  COMMITTED,
  /** The order was cancelled before it was placed here; its placement will hold nothing. */
  CANCELLED
}
