package dev.saga.order;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import dev.saga.messaging.ConsumedEvents;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Hands the saga events of the other services, with the attributes they were published with, to the
 * orders they concern.
 */
@Component
@KafkaListener(topics = {Topics.INVENTORY, Topics.PAYMENTS, Topics.NOTIFICATIONS})
class SagaEventListener {

  private final OrderService orders;
  private final ConsumedEvents consumed;

  SagaEventListener(OrderService orders, ConsumedEvents consumed) {
    this.orders = orders;
    this.consumed = consumed;
  }

  @KafkaHandler
  void on(InventoryUpdated event) {
    orders.on(event, consumed.current());
  }

  @KafkaHandler
  void on(PaymentProcessed event) {
    orders.on(event, consumed.current());
  }

  @KafkaHandler
  void on(NotificationSent event) {
    orders.on(event, consumed.current());
  }

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent event) {}
}
