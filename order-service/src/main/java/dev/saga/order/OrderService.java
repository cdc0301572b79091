package dev.saga.order;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.PaymentProcessed;
import dev.saga.messaging.Outbox;
import dev.saga.messaging.RejectedEventException;
import dev.saga.order.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders and decides their outcome: every change loads the order under its row lock, lets
 * the aggregate decide, and adds the resulting event to the outbox in the same transaction.
 */
@Service
public class OrderService {

  /** Most overdue orders cancelled in one transaction. */
  static final int DEADLINE_BATCH = 100;

  private final OrderRepository orders;
  private final Catalog catalog;
  private final Outbox outbox;
  private final String currency;
  private final OrderProperties settings;

  OrderService(
      OrderRepository orders,
      Catalog catalog,
      Outbox outbox,
      SagaProperties saga,
      OrderProperties settings) {
    this.orders = orders;
    this.catalog = catalog;
    this.outbox = outbox;
    this.currency = saga.currency();
    this.settings = settings;
  }

  /**
   * Places a {@code PENDING} order priced from the catalog and announces it.
   *
   * @throws dev.saga.order.catalog.ProductNotOrderableException if a product is unknown, inactive
   *     or priced in another currency; nothing is stored
   */
  @Transactional
  public Order place(PlaceOrder request) {
    Map<String, BigDecimal> prices =
        catalog.unitPrices(
            request.items().stream().map(PlaceOrder.Item::productId).toList(), currency);
    List<OrderLine> lines =
        request.items().stream()
            .map(
                item ->
                    new OrderLine(item.productId(), item.quantity(), prices.get(item.productId())))
            .toList();
    Order.Placement placement =
        Order.place(UUID.randomUUID(), request.customerId(), lines, currency, now());
    orders.save(placement.order());
    outbox.add(placement.event());
    return placement.order();
  }

  // An order is read in several statements (its row, its lines, its history): one snapshot keeps
  // them consistent while a listener changes the order.
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public Optional<Order> find(UUID orderId) {
    return orders.findById(orderId);
  }

  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public Page<Order> findByCustomer(String customerId, Pageable pageable) {
    return orders.findByCustomerId(customerId, pageable);
  }

  /**
   * Cancels an order at its customer's request, decided at once.
   *
   * @return the order, cancelled; empty if there is no such order
   * @throws OrderAlreadyConfirmedException if the order is confirmed
   */
  @Transactional
  public Optional<Order> cancelByCustomer(UUID orderId) {
    return orders
        .findLocked(orderId)
        .map(
            order -> {
              order.cancelByCustomer(now()).ifPresent(outbox::add);
              return order;
            });
  }

  @Transactional
  public void on(InventoryUpdated event) {
    lockedFor(event.orderId(), event).on(event, now()).ifPresent(outbox::add);
  }

  @Transactional
  public void on(PaymentProcessed event) {
    lockedFor(event.orderId(), event).on(event, now()).ifPresent(outbox::add);
  }

  @Transactional
  public void on(NotificationSent event) {
    lockedFor(event.orderId(), event).on(event, now());
  }

  /**
   * Cancels, with reason {@code TIMEOUT}, up to {@link #DEADLINE_BATCH} orders that are still
   * {@code PENDING} after the saga deadline.
   *
   * @return how many overdue orders were found
   */
  @Transactional
  public int cancelOverdueOrders() {
    List<UUID> overdue = orders.lockOverdue(settings.deadline().toMillis(), DEADLINE_BATCH);
    for (UUID orderId : overdue) {
      orders
          .findLocked(orderId)
          .flatMap(order -> order.cancel(CancelOrder.Reason.TIMEOUT, now()))
          .ifPresent(outbox::add);
    }
    return overdue.size();
  }

  private Order lockedFor(UUID orderId, Object event) {
    // Only this service places orders, and it publishes OrderPlaced after the order committed: an
    // event for an order it does not know cannot come from the saga.
    return orders
        .findLocked(orderId)
        .orElseThrow(() -> new RejectedEventException("No order " + orderId + " for " + event));
  }

  /** Timestamps at the database's precision, so a stored order reads back exactly as it was. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
