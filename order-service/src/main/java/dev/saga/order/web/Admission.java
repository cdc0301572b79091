package dev.saga.order.web;

import dev.saga.messaging.ListenerDelay;
import dev.saga.order.OrderProperties;
import dev.saga.order.PendingOrders;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Whether the order service takes a new order now: while its listeners are more than {@code
 * saga.order.max-listener-delay} behind on the saga's events (known in memory), or {@code
 * saga.order.max-pending} orders are pending (one read), it refuses with {@link
 * ServiceBehindException}.
 *
 * <p>A count at the limit refuses every order for the next {@link #RECOUNT_AFTER} without reading
 * the database again; an order is only admitted on a fresh count, so the limit holds as before.
 * Under overload most POSTs are refused, and each refusal that counted cost about 1 ms of CPU in
 * the service and the database: at 16 pending, 276 refusals a second took a seventh of the machine
 * (BENCHMARKS.md, tenth round). Reusing the count bounds those reads to 50 a second per instance,
 * for at most 20 ms in which a decided order's place stays empty.
 */
@Component
class Admission {

  static final Duration RECOUNT_AFTER = Duration.ofMillis(20);

  private final ListenerDelay listenerDelay;
  private final PendingOrders pending;
  private final Duration maxListenerDelay;
  private final int maxPending;
  private final LongSupplier nanoTime;

  /** The last count that refused an order, and when it was read ({@link System#nanoTime()}). */
  private record Refusal(PendingOrders.Count count, long countedAt) {}

  private volatile Refusal lastRefusal;

  @Autowired
  Admission(ListenerDelay listenerDelay, PendingOrders pending, OrderProperties properties) {
    this(listenerDelay, pending, properties, System::nanoTime);
  }

  Admission(
      ListenerDelay listenerDelay,
      PendingOrders pending,
      OrderProperties properties,
      LongSupplier nanoTime) {
    this.listenerDelay = listenerDelay;
    this.pending = pending;
    this.maxListenerDelay = properties.maxListenerDelay();
    this.maxPending = properties.maxPending();
    this.nanoTime = nanoTime;
  }

  /** Returns if a new order may be placed now; throws {@link ServiceBehindException} if not. */
  void admit() {
    Duration behind = listenerDelay.current();
    if (behind.compareTo(maxListenerDelay) > 0) {
      throw ServiceBehindException.listenersBehind(behind, maxListenerDelay);
    }
    long now = nanoTime.getAsLong();
    Refusal recent = lastRefusal;
    PendingOrders.Count count;
    if (recent != null && now - recent.countedAt() < RECOUNT_AFTER.toNanos()) {
      count = recent.count();
    } else {
      count = pending.count();
      if (count.orders() >= maxPending) {
        lastRefusal = new Refusal(count, now);
      }
    }
    if (count.orders() >= maxPending) {
      Duration oldestAge =
          count.oldest().map(at -> Duration.between(at, Instant.now())).orElse(Duration.ZERO);
      throw ServiceBehindException.tooManyPending(count.orders(), maxPending, oldestAge);
    }
  }
}
