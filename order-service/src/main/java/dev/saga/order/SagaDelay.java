package dev.saga.order;

import dev.saga.events.CancelOrder;
import dev.saga.messaging.ListenerDelay;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * How far behind the saga is, as the order service sees it: the larger of how far behind its own
 * listeners are ({@link ListenerDelay}) and how long the slowest order decided by the other
 * services' events (confirmed, out of stock, payment declined) in the last second took from being
 * placed to its outcome. The first catches a backlog at this service's listeners as it forms; the
 * second catches one anywhere else in the saga (the inventory or payment service, any relay), which
 * this service's listeners never see: they apply those late events at once. Customer cancels and
 * the deadline say nothing about how fast the saga runs and are left out.
 *
 * <p>In memory, per instance, at no database cost: the order service refuses new orders while it is
 * more than {@code saga.order.max-delay}. Both measures compare times of this service's clock,
 * except the listeners' (the producers' record timestamps).
 */
@Component
public class SagaDelay {

  /** How long a decision counts. */
  static final Duration WINDOW = Duration.ofSeconds(1);

  private final ListenerDelay listeners;
  private final Clock clock;

  /**
   * The decisions of the window that no later decision took at least as long as, oldest first: the
   * slowest one of the window is always the first (a sliding-window maximum).
   */
  private final Deque<Decision> slowest = new ArrayDeque<>();

  @Autowired
  SagaDelay(ListenerDelay listeners) {
    this(listeners, Clock.systemUTC());
  }

  SagaDelay(ListenerDelay listeners, Clock clock) {
    this.listeners = listeners;
    this.clock = clock;
  }

  /** How far behind the saga is now; zero while it keeps up. */
  public Duration current() {
    Duration decisions = Duration.ofMillis(slowestDecision());
    Duration own = listeners.current();
    return own.compareTo(decisions) > 0 ? own : decisions;
  }

  /** Times an outcome the saga's events decided, once it committed. */
  @TransactionalEventListener
  void on(OrderActivity activity) {
    OrderSummary order = activity.order();
    if (activity.decided() && decidedBySagaEvents(order)) {
      decided(Duration.between(order.createdAt(), order.updatedAt()));
    }
  }

  synchronized void decided(Duration took) {
    long tookMillis = took.toMillis();
    while (!slowest.isEmpty() && slowest.peekLast().tookMillis() <= tookMillis) {
      slowest.pollLast();
    }
    slowest.addLast(new Decision(clock.millis(), tookMillis));
  }

  private synchronized long slowestDecision() {
    long since = clock.millis() - WINDOW.toMillis();
    while (!slowest.isEmpty() && slowest.peekFirst().atMillis() < since) {
      slowest.pollFirst();
    }
    return slowest.isEmpty() ? 0 : slowest.peekFirst().tookMillis();
  }

  private static boolean decidedBySagaEvents(OrderSummary order) {
    return order.status() == OrderStatus.CONFIRMED
        || order.cancellationReason() == CancelOrder.Reason.OUT_OF_STOCK
        || order.cancellationReason() == CancelOrder.Reason.PAYMENT_DECLINED;
  }

  private record Decision(long atMillis, long tookMillis) {}
}
