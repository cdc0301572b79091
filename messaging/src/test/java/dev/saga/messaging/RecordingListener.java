package dev.saga.messaging;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.OrderPlaced;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Applies an {@link OrderPlaced} as a row in {@code effects} and answers it through the outbox.
 * Customer ids steer failures: {@code rejected} is impossible, {@code flaky-*} fails twice after
 * writing its effect (so only a rollback keeps the effect single).
 */
@Component
@KafkaListener(topics = Topics.ORDERS)
class RecordingListener {

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final Map<UUID, Integer> attempts = new ConcurrentHashMap<>();

  RecordingListener(JdbcClient jdbc, Outbox outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  @KafkaHandler
  void on(OrderPlaced placed) {
    if (placed.customerId().equals("rejected")) {
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

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent other) {}
}
