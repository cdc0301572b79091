package dev.saga.order;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderEvent;
import dev.saga.events.OrderPlaced;
import dev.saga.events.PaymentProcessed;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;

/**
 * An order and the one decision of its saga: it stays {@code PENDING} until it is confirmed or
 * cancelled, exactly once. What happened to it on the way is not part of the aggregate: the service
 * records every event it consumed or published on the order's timeline, and the order's history is
 * read from there ({@link HistoryEntry#of}).
 *
 * <p>Each transition checks the current status and returns the event that announces it, or nothing
 * when the transition does not apply (an outcome is never decided twice).
 */
@Entity
@Table(name = "orders")
public class Order {

  @Id private UUID id;

  private String customerId;

  @Enumerated(EnumType.STRING)
  private OrderStatus status;

  @Enumerated(EnumType.STRING)
  private CancelOrder.Reason cancellationReason;

  private BigDecimal totalAmount;
  private String currency;
  private Instant createdAt;
  private Instant updatedAt;

  // The W3C traceparent of the placement: later work for the order links to its trace.
  private String traceParent;

  // Only the response shows the lines, and no transition needs them: they are loaded when read, a
  // whole page of orders' lines in one query.
  @ElementCollection
  @BatchSize(size = 100)
  @CollectionTable(name = "order_lines", joinColumns = @JoinColumn(name = "order_id"))
  @OrderColumn(name = "line_no")
  private List<OrderLine> lines = new ArrayList<>();

  @Version private Long version;

  protected Order() {}

  private Order(UUID id, String customerId, List<OrderLine> lines, String currency, Instant at) {
    this.id = id;
    this.customerId = customerId;
    this.lines.addAll(lines);
    this.totalAmount =
        lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    this.currency = currency;
    this.createdAt = at;
    changeStatus(OrderStatus.PENDING, at);
  }

  /** A new {@code PENDING} order of {@code lines}, and the {@link OrderPlaced} announcing it. */
  public static Placement place(
      UUID id, String customerId, List<OrderLine> lines, String currency, Instant at) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("An order has at least one line");
    }
    if (lines.stream().map(OrderLine::productId).distinct().count() != lines.size()) {
      throw new IllegalArgumentException("An order has one line per product");
    }
    Order order = new Order(id, customerId, lines, currency, at);
    List<OrderPlaced.Line> placedLines =
        lines.stream()
            .map(line -> new OrderPlaced.Line(line.productId(), line.quantity(), line.unitPrice()))
            .toList();
    return new Placement(
        order, new OrderPlaced(id, customerId, placedLines, order.totalAmount, currency));
  }

  /** Remembers the trace (a W3C {@code traceparent}) the order was placed in. */
  public void placedInTrace(String traceParent) {
    this.traceParent = traceParent;
  }

  /** The W3C {@code traceparent} the order was placed in; empty if it was placed untraced. */
  public Optional<String> traceParent() {
    return Optional.ofNullable(traceParent);
  }

  /** What the order's stock means for it: a rejected reservation cancels a pending order. */
  public Optional<OrderEvent> on(InventoryUpdated event, Instant at) {
    requireOwn(event.orderId());
    return switch (event.status()) {
      case REJECTED -> widen(cancel(CancelOrder.Reason.OUT_OF_STOCK, at));
      case RESERVED, RELEASED, COMMITTED -> Optional.empty();
    };
  }

  /**
   * What a payment decision means for the order: a successful charge confirms a pending order and a
   * declined one cancels it. A charge refused because the order was cancelled, and a refund, follow
   * an outcome already decided.
   */
  public Optional<OrderEvent> on(PaymentProcessed event, Instant at) {
    requireOwn(event.orderId());
    return switch (event.status()) {
      case SUCCEEDED -> widen(confirm(at));
      case FAILED ->
          switch (event.reason()) {
            case INSUFFICIENT_FUNDS, UNKNOWN_ACCOUNT ->
                widen(cancel(CancelOrder.Reason.PAYMENT_DECLINED, at));
            case ORDER_CANCELLED -> Optional.empty();
            case null -> throw new IllegalArgumentException("A failed payment has a reason");
          };
      case REFUNDED -> Optional.empty();
    };
  }

  /** Confirms a pending order; nothing once the outcome is decided. */
  public Optional<OrderConfirmed> confirm(Instant at) {
    if (status != OrderStatus.PENDING) {
      return Optional.empty();
    }
    changeStatus(OrderStatus.CONFIRMED, at);
    return Optional.of(new OrderConfirmed(id, customerId, totalAmount, currency));
  }

  /** Cancels a pending order for {@code reason}; nothing once the outcome is decided. */
  public Optional<CancelOrder> cancel(CancelOrder.Reason reason, Instant at) {
    if (status != OrderStatus.PENDING) {
      return Optional.empty();
    }
    cancellationReason = reason;
    changeStatus(OrderStatus.CANCELLED, at);
    return Optional.of(new CancelOrder(id, customerId, reason));
  }

  /**
   * Cancels the order at its customer's request: a pending order is cancelled, a cancelled one
   * stays as it is.
   *
   * @throws OrderAlreadyConfirmedException if the order is confirmed
   */
  public Optional<CancelOrder> cancelByCustomer(Instant at) {
    if (status == OrderStatus.CONFIRMED) {
      throw new OrderAlreadyConfirmedException(id);
    }
    return cancel(CancelOrder.Reason.CUSTOMER_CANCELLED, at);
  }

  private void changeStatus(OrderStatus newStatus, Instant at) {
    status = newStatus;
    updatedAt = at;
  }

  private void requireOwn(UUID orderId) {
    if (!id.equals(orderId)) {
      throw new IllegalArgumentException("An event of order " + orderId + " is not for " + id);
    }
  }

  private static Optional<OrderEvent> widen(Optional<? extends OrderEvent> event) {
    return event.map(OrderEvent.class::cast);
  }

  public UUID id() {
    return id;
  }

  public String customerId() {
    return customerId;
  }

  public OrderStatus status() {
    return status;
  }

  /** Why the order was cancelled; empty unless it is {@code CANCELLED}. */
  public Optional<CancelOrder.Reason> cancellationReason() {
    return Optional.ofNullable(cancellationReason);
  }

  /** The order's lines; read them within the transaction that loaded the order. */
  public List<OrderLine> lines() {
    return Collections.unmodifiableList(lines);
  }

  public BigDecimal totalAmount() {
    return totalAmount;
  }

  public String currency() {
    return currency;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** When the status last changed. */
  public Instant updatedAt() {
    return updatedAt;
  }

  /** A new order and the event that announces it. */
  public record Placement(Order order, OrderPlaced event) {}
}
