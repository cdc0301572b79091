package dev.saga.order;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Hands the saga events of the other services to the orders they concern. */
@Component
@KafkaListener(topics = {Topics.INVENTORY, Topics.PAYMENTS, Topics.NOTIFICATIONS})
class SagaEventListener {

  private final OrderService orders;

  SagaEventListener(OrderService orders) {
    this.orders = orders;
  }

  @KafkaHandler
  void on(InventoryUpdated event) {
    orders.on(event);
  }

  @KafkaHandler
  void on(PaymentProcessed event) {
    orders.on(event);
  }

  @KafkaHandler
  void on(NotificationSent event) {
    orders.on(event);
  }

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent event) {}
}
