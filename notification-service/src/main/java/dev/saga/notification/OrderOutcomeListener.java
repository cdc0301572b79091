package dev.saga.notification;

import dev.saga.events.CancelOrder;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Turns each order outcome on {@code orders} into a notification; placed orders are ignored. */
@Component
@KafkaListener(topics = Topics.ORDERS)
class OrderOutcomeListener {

  private final Notifications notifications;

  OrderOutcomeListener(Notifications notifications) {
    this.notifications = notifications;
  }

  @KafkaHandler
  void on(OrderConfirmed confirmed) {
    notifications.recordConfirmed(confirmed);
  }

  @KafkaHandler
  void on(CancelOrder cancel) {
    notifications.recordCancelled(cancel);
  }

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent event) {}
}
