package dev.saga.messaging;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.OrderPlaced;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Applies an {@link OrderPlaced} as a row in {@code effects} and answers it through the outbox,
 * logging it and keeping the attributes it was consumed with. Customer ids steer failures: {@code
 * rejected} is impossible, {@code fixable-*} is impossible until a test {@linkplain #fix fixes} it,
 * {@code flaky-*} fails twice after writing its effect (so only a rollback keeps the effect
 * single), {@code held-*} waits inside the listener until a test {@linkplain #release releases} it.
 */
@Component
@KafkaListener(topics = Topics.ORDERS)
class RecordingListener {

  private static final Logger log = LoggerFactory.getLogger(RecordingListener.class);

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final ConsumedEvents consumed;
  private final Map<UUID, Integer> attempts = new ConcurrentHashMap<>();
  private final Map<UUID, EventEnvelope> envelopes = new ConcurrentHashMap<>();
  private static final Set<String> FIXED = ConcurrentHashMap.newKeySet();
  private static final Map<String, CountDownLatch> HELD = new ConcurrentHashMap<>();
  private static final Map<String, CountDownLatch> ENTERED = new ConcurrentHashMap<>();

  RecordingListener(JdbcClient jdbc, Outbox outbox, ConsumedEvents consumed) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.consumed = consumed;
  }

  /** The attributes the order's {@link OrderPlaced} was consumed with, once it was. */
  EventEnvelope envelopeOf(UUID orderId) {
    return envelopes.get(orderId);
  }

  @KafkaHandler
  void on(OrderPlaced placed) {
    log.info("Applying OrderPlaced of customer {}", placed.customerId());
    envelopes.put(placed.orderId(), consumed.current());
    if (placed.customerId().startsWith("held")) {
      entered(placed.customerId()).countDown();
      awaitUninterruptibly(held(placed.customerId()));
    }
    if (placed.customerId().equals("rejected")
        || (placed.customerId().startsWith("fixable") && !FIXED.contains(placed.customerId()))) {
      throw new RejectedEventException("Order " + placed.orderId() + " cannot be placed here");
    }
    jdbc.sql("insert into effects (order_id, customer_id) values (?, ?)")
        .params(placed.orderId(), placed.customerId())
        .update();
    if (placed.customerId().startsWith("flaky")
        && attempts.merge(placed.orderId(), 1, Integer::sum) <= 2) {
      throw new TransientDataAccessResourceException("The database is briefly unavailable");
    }
    outbox.add(
        InventoryUpdated.reserved(
            placed.orderId(), placed.customerId(), placed.totalAmount(), placed.currency()));
  }

  /** From now on, orders of {@code customerId} (a {@code fixable-*} one) can be placed. */
  static void fix(String customerId) {
    FIXED.add(customerId);
  }

  /** Waits until a {@code held-*} customer's order is inside the listener. */
  static void awaitEntered(String customerId) {
    awaitUninterruptibly(entered(customerId));
  }

  /** Lets a {@code held-*} customer's order through the listener. */
  static void release(String customerId) {
    held(customerId).countDown();
  }

  private static CountDownLatch held(String customerId) {
    return HELD.computeIfAbsent(customerId, id -> new CountDownLatch(1));
  }

  private static CountDownLatch entered(String customerId) {
    return ENTERED.computeIfAbsent(customerId, id -> new CountDownLatch(1));
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Latch not released within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent other) {}
}
