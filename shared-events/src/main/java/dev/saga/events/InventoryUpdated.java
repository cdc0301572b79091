package dev.saga.events;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The stock held for an order changed. A {@code RESERVED} event carries what payment needs to
 * charge ({@code customerId}, {@code totalAmount}, {@code currency}); a {@code REJECTED} one
 * carries a {@code reason}; the other fields are {@code null} when they do not apply.
 */
public record InventoryUpdated(
    UUID orderId,
    Status status,
    Reason reason,
    String customerId,
    BigDecimal totalAmount,
    String currency)
    implements InventoryEvent {

  public static InventoryUpdated reserved(
      UUID orderId, String customerId, BigDecimal totalAmount, String currency) {
    return new InventoryUpdated(orderId, Status.RESERVED, null, customerId, totalAmount, currency);
  }

  public static InventoryUpdated rejected(UUID orderId, Reason reason) {
    return new InventoryUpdated(orderId, Status.REJECTED, reason, null, null, null);
  }

  public static InventoryUpdated released(UUID orderId) {
    return new InventoryUpdated(orderId, Status.RELEASED, null, null, null, null);
  }

  public static InventoryUpdated committed(UUID orderId) {
    return new InventoryUpdated(orderId, Status.COMMITTED, null, null, null, null);
  }

  @Override
  public String subject() {
    return orderId.toString();
  }

  /** What happened to the order's stock. */
  public enum Status {
    RESERVED,
    REJECTED,
    RELEASED,
    COMMITTED
  }

  /** Why a reservation was rejected. */
  public enum Reason {
    OUT_OF_STOCK,
    UNKNOWN_PRODUCT
  }
}
