package dev.saga.order;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.OrderEvent;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.SagaEvent;
import dev.saga.messaging.EventEnvelope;
import dev.saga.messaging.Outbox;
import dev.saga.messaging.RejectedEventException;
import dev.saga.messaging.SagaTracing;
import dev.saga.order.catalog.Catalog;
import dev.saga.order.timeline.Timeline;
import dev.saga.order.timeline.TimelineEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders and decides their outcome: every change loads the order under its row lock, lets
 * the aggregate decide, and adds the resulting event to the outbox in the same transaction. Every
 * event consumed or published for an order goes onto its timeline, and each change is announced
 * ({@link OrderActivity}) once it committed.
 */
@Service
public class OrderService {

  /** Most overdue orders cancelled in one transaction. */
  static final int DEADLINE_BATCH = 100;

  private static final Logger log = LoggerFactory.getLogger(OrderService.class);

  private final OrderRepository orders;
  private final Catalog catalog;
  private final Outbox outbox;
  private final Timeline timeline;
  private final SagaTracing tracing;
  private final ApplicationEventPublisher activity;
  private final String currency;
  private final OrderProperties settings;

  OrderService(
      OrderRepository orders,
      Catalog catalog,
      Outbox outbox,
      Timeline timeline,
      SagaTracing tracing,
      ApplicationEventPublisher activity,
      SagaProperties saga,
      OrderProperties settings) {
    this.orders = orders;
    this.catalog = catalog;
    this.outbox = outbox;
    this.timeline = timeline;
    this.tracing = tracing;
    this.activity = activity;
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
  public OrderDetails place(PlaceOrder request) {
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
    Order order = placement.order();
    try (SagaTracing.OrderScope ignored = tracing.forOrder(order.id())) {
      EventEnvelope placed = outbox.add(placement.event());
      order.placedInTrace(placed.traceParent());
      // Flushed now: the timeline's rows refer to the order's.
      orders.saveAndFlush(order);
      Changes changes = new Changes(order);
      changes.add(TimelineEntry.of(placed, placement.event()));
      log.info("Placed order of {} for {} {}", order.customerId(), order.totalAmount(), currency);
      changes.announce(false);
      return new OrderDetails(order, HistoryEntry.of(order, changes.entries));
    }
  }

  // An order is read in several statements (its row, its lines, its timeline): one snapshot keeps
  // them consistent while a listener changes the order.
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public Optional<OrderDetails> find(UUID orderId) {
    return orders.findById(orderId).map(this::withHistory);
  }

  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public Page<OrderDetails> findByCustomer(String customerId, Pageable pageable) {
    Page<Order> page = orders.findByCustomerId(customerId, pageable);
    Map<UUID, List<TimelineEntry>> recorded = timeline.recorded(page.map(Order::id).getContent());
    return page.map(order -> details(order, recorded));
  }

  /** The order and every event of its saga, in the order they happened; empty if unknown. */
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public Optional<OrderTimeline> timeline(UUID orderId) {
    return orders
        .findById(orderId)
        .map(order -> new OrderTimeline(OrderSummary.of(order), timeline.of(orderId)));
  }

  /** The {@code limit} newest orders of all customers. */
  @Transactional(readOnly = true)
  public List<OrderSummary> recent(int limit) {
    Sort newestFirst = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));
    return orders.findAll(PageRequest.of(0, limit, newestFirst)).stream()
        .map(OrderSummary::of)
        .toList();
  }

  /** Up to {@code limit} orders still {@code PENDING} after {@code saga.order.stuck-after}. */
  @Transactional(readOnly = true)
  public List<OrderSummary> stuck(int limit) {
    return orders
        .findPendingSince(Instant.now().minus(settings.stuckAfter()), PageRequest.of(0, limit))
        .stream()
        .map(OrderSummary::of)
        .toList();
  }

  /**
   * Cancels an order at its customer's request, decided at once. The cancel is a span of the
   * request's trace that links to the trace the order was placed in.
   *
   * @return the order, cancelled; empty if there is no such order
   * @throws OrderAlreadyConfirmedException if the order is confirmed
   */
  @Transactional
  public Optional<OrderDetails> cancelByCustomer(UUID orderId) {
    return orders
        .findLocked(orderId)
        .map(
            order -> {
              try (SagaTracing.OrderScope ignored = tracing.forOrder(orderId);
                  SagaTracing.TracedWork cancel =
                      tracing.linkedTo("order cancel", order.traceParent().orElse(null))) {
                cancel.tag(SagaTracing.ORDER_ID_TAG, orderId.toString());
                cancel.inScope(() -> decide(order, o -> o.cancelByCustomer(now())));
                return withHistory(order);
              }
            });
  }

  @Transactional
  public void on(InventoryUpdated event, EventEnvelope envelope) {
    apply(event.orderId(), event, envelope, order -> order.on(event, now()));
  }

  @Transactional
  public void on(PaymentProcessed event, EventEnvelope envelope) {
    apply(event.orderId(), event, envelope, order -> order.on(event, now()));
  }

  @Transactional
  public void on(NotificationSent event, EventEnvelope envelope) {
    apply(event.orderId(), event, envelope, order -> Optional.empty());
  }

  /**
   * Cancels, with reason {@code TIMEOUT}, up to {@link #DEADLINE_BATCH} orders that are still
   * {@code PENDING} after the saga deadline. Each cancel starts a trace of its own that links to
   * the trace the order was placed in.
   *
   * @return how many overdue orders were found
   */
  @Transactional
  public int cancelOverdueOrders() {
    List<UUID> overdue = orders.lockOverdue(settings.deadline().toMillis(), DEADLINE_BATCH);
    for (UUID orderId : overdue) {
      orders
          .findLocked(orderId)
          .ifPresent(
              order -> {
                try (SagaTracing.OrderScope ignored = tracing.forOrder(orderId);
                    SagaTracing.TracedWork deadline =
                        tracing.linkedTo("order deadline", order.traceParent().orElse(null))) {
                  deadline.tag(SagaTracing.ORDER_ID_TAG, orderId.toString());
                  deadline.inScope(
                      () -> decide(order, o -> o.cancel(CancelOrder.Reason.TIMEOUT, now())));
                }
              });
    }
    return overdue.size();
  }

  /** Applies a consumed event to its order: its timeline, and the decision it may bring. */
  private void apply(
      UUID orderId,
      SagaEvent event,
      EventEnvelope envelope,
      Function<Order, Optional<? extends OrderEvent>> transition) {
    Order order = lockedFor(orderId, event);
    Changes changes = new Changes(order);
    changes.add(TimelineEntry.of(envelope, event));
    decide(order, transition, changes);
  }

  private void decide(Order order, Function<Order, Optional<? extends OrderEvent>> transition) {
    decide(order, transition, new Changes(order));
  }

  /** Lets the order decide; publishes and records what it decided, and announces the change. */
  private void decide(
      Order order, Function<Order, Optional<? extends OrderEvent>> transition, Changes changes) {
    OrderStatus before = order.status();
    Optional<? extends OrderEvent> decided = transition.apply(order);
    decided.ifPresent(event -> changes.add(TimelineEntry.of(outbox.add(event), event)));
    boolean outcome = before == OrderStatus.PENDING && order.status() != OrderStatus.PENDING;
    if (outcome) {
      log.info(
          "Order {}{}",
          order.status(),
          order.cancellationReason().map(reason -> " (" + reason + ")").orElse(""));
    }
    changes.announce(outcome);
  }

  private Order lockedFor(UUID orderId, Object event) {
    // Only this service places orders, and it publishes OrderPlaced after the order committed: an
    // event for an order it does not know cannot come from the saga.
    return orders
        .findLocked(orderId)
        .orElseThrow(() -> new RejectedEventException("No order " + orderId + " for " + event));
  }

  private OrderDetails withHistory(Order order) {
    return details(order, timeline.recorded(List.of(order.id())));
  }

  private static OrderDetails details(Order order, Map<UUID, List<TimelineEntry>> recorded) {
    return new OrderDetails(
        order, HistoryEntry.of(order, recorded.getOrDefault(order.id(), List.of())));
  }

  /** Timestamps at the database's precision, so a stored order reads back exactly as it was. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /** The timeline entries one transaction adds to an order, recorded as they are added. */
  private final class Changes {

    private final Order order;
    private final List<TimelineEntry> entries = new ArrayList<>();

    Changes(Order order) {
      this.order = order;
    }

    void add(TimelineEntry entry) {
      timeline.record(order.id(), entry);
      entries.add(entry);
    }

    void announce(boolean decided) {
      activity.publishEvent(new OrderActivity(OrderSummary.of(order), entries, decided));
    }
  }

  /**
   * An order as its response shows it: with its lines and its history (its status changes and the
   * saga events it consumed, in order).
   */
  public record OrderDetails(Order order, List<OrderLine> lines, List<HistoryEntry> history) {

    /** The order with its lines, read now: in the transaction that loaded it. */
    public OrderDetails(Order order, List<HistoryEntry> history) {
      this(order, List.copyOf(order.lines()), history);
    }
  }

  /** An order and every event of its saga, oldest first. */
  public record OrderTimeline(OrderSummary order, List<TimelineEntry> events) {}
}
