package dev.saga.inventory.reservation;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.OrderPlaced;
import dev.saga.inventory.product.Product;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The stock held for one order: reserves every line or none when the order is placed, and releases
 * or sells it on the order's outcome. Events of the order may arrive in any order and more than
 * once; every transition returns the event to announce, or nothing when it changes nothing.
 */
@Entity
@Table(name = "reservations")
class Reservation {

  @Id private UUID orderId;

  @Enumerated(EnumType.STRING)
  private ReservationStatus status;

  private String customerId;

  @Enumerated(EnumType.STRING)
  private InventoryUpdated.Reason rejectionReason;

  @ElementCollection
  @CollectionTable(name = "reservation_lines", joinColumns = @JoinColumn(name = "order_id"))
  @OrderBy("productId")
  private List<ReservationLine> lines = new ArrayList<>();

  private Instant createdAt;
  private Instant updatedAt;

  protected Reservation() {}

  /** The reservation of an order none of whose events was applied yet. */
  Reservation(UUID orderId, Instant createdAt) {
    this.orderId = orderId;
    this.status = ReservationStatus.NEW;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  /** Whether the order's placement is still to be decided, so it needs the products locked. */
  public boolean awaitsPlacement() {
    return status == ReservationStatus.NEW;
  }

  /** The products whose stock this reservation holds: those a release or a sale changes. */
  public Set<String> heldProductIds() {
    if (status != ReservationStatus.RESERVED) {
      return Set.of();
    }
    return lines.stream().map(ReservationLine::productId).collect(Collectors.toSet());
  }

  /**
   * The order was placed: reserves every line from {@code products} (the order's products that
   * exist, locked) or none. Nothing happens when the placement was decided before or the order was
   * cancelled first.
   */
  public Optional<InventoryUpdated> place(OrderPlaced order, Map<String, Product> products) {
    requireThisOrder(order.orderId());
    if (status != ReservationStatus.NEW) {
      return Optional.empty();
    }
    customerId = order.customerId();
    lines.clear();
    lines.addAll(summedPerProduct(order.items()));
    for (ReservationLine line : lines) {
      Product product = products.get(line.productId());
      if (product == null || !product.isActive()) {
        return reject(InventoryUpdated.Reason.UNKNOWN_PRODUCT);
      }
    }
    for (ReservationLine line : lines) {
      if (!products.get(line.productId()).canReserve(line.quantity())) {
        return reject(InventoryUpdated.Reason.OUT_OF_STOCK);
      }
    }
    lines.forEach(line -> products.get(line.productId()).reserve(line.quantity()));
    moveTo(ReservationStatus.RESERVED);
    return Optional.of(
        InventoryUpdated.reserved(
            orderId, order.customerId(), order.totalAmount(), order.currency()));
  }

  /**
   * The order was cancelled: releases the held stock to {@code products} (at least the {@link
   * #heldProductIds()}, locked). Before the placement, the cancellation is remembered so that the
   * placement holds nothing.
   *
   * @throws ImpossibleEventException if the order was confirmed
   */
  public Optional<InventoryUpdated> cancel(String customerId, Map<String, Product> products) {
    return switch (status) {
      case NEW -> {
        this.customerId = customerId;
        moveTo(ReservationStatus.CANCELLED);
        yield Optional.empty();
      }
      case RESERVED -> {
        lines.forEach(line -> product(products, line).release(line.quantity()));
        moveTo(ReservationStatus.RELEASED);
        yield Optional.of(InventoryUpdated.released(orderId));
      }
      case REJECTED, RELEASED, CANCELLED -> Optional.empty();
      case COMMITTED ->
          throw new ImpossibleEventException(
              "Order " + orderId + " was confirmed; it cannot be cancelled too");
    };
  }

  /**
   * The order was confirmed: sells the held stock from {@code products} (at least the {@link
   * #heldProductIds()}, locked).
   *
   * @throws ImpossibleEventException if no stock is held for the order
   */
  public Optional<InventoryUpdated> confirm(Map<String, Product> products) {
    return switch (status) {
      case RESERVED -> {
        lines.forEach(line -> product(products, line).sell(line.quantity()));
        moveTo(ReservationStatus.COMMITTED);
        yield Optional.of(InventoryUpdated.committed(orderId));
      }
      case COMMITTED -> Optional.empty();
      case NEW, REJECTED, RELEASED, CANCELLED ->
          throw new ImpossibleEventException(
              "Order " + orderId + " cannot be confirmed: its reservation is " + status);
    };
  }

  private Optional<InventoryUpdated> reject(InventoryUpdated.Reason reason) {
    rejectionReason = reason;
    moveTo(ReservationStatus.REJECTED);
    return Optional.of(InventoryUpdated.rejected(orderId, reason));
  }

  private void moveTo(ReservationStatus next) {
    status = next;
    updatedAt = Instant.now();
  }

  private void requireThisOrder(UUID eventOrderId) {
    if (!orderId.equals(eventOrderId)) {
      throw new IllegalArgumentException(
          "An event of order " + eventOrderId + " applied to the reservation of " + orderId);
    }
  }

  private static Product product(Map<String, Product> products, ReservationLine line) {
    Product product = products.get(line.productId());
    if (product == null) {
      throw new IllegalArgumentException("Product " + line.productId() + " is not locked");
    }
    return product;
  }

  private static List<ReservationLine> summedPerProduct(List<OrderPlaced.Line> items) {
    Map<String, Integer> quantities = new TreeMap<>();
    items.forEach(item -> quantities.merge(item.productId(), item.quantity(), Integer::sum));
    List<ReservationLine> summed = new ArrayList<>();
    quantities.forEach(
        (productId, quantity) -> summed.add(new ReservationLine(productId, quantity)));
    return summed;
  }

  public UUID getOrderId() {
    return orderId;
  }

  public ReservationStatus getStatus() {
    return status;
  }

  public String getCustomerId() {
    return customerId;
  }

  public Optional<InventoryUpdated.Reason> getRejectionReason() {
    return Optional.ofNullable(rejectionReason);
  }

  public List<ReservationLine> getLines() {
    return List.copyOf(lines);
  }
}
