package dev.saga.inventory.reservation;

import dev.saga.events.CancelOrder;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderPlaced;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Hands the order service's events to {@link Reservations}. */
@Component
@KafkaListener(topics = Topics.ORDERS)
class OrderEventsListener {

  private final Reservations reservations;

  OrderEventsListener(Reservations reservations) {
    this.reservations = reservations;
  }

  @KafkaHandler
  void on(OrderPlaced placed) {
    reservations.place(placed);
  }

  @KafkaHandler
  void on(CancelOrder cancel) {
    reservations.cancel(cancel);
  }

  @KafkaHandler
  void on(OrderConfirmed confirmed) {
    reservations.confirm(confirmed);
  }

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent event) {}
}
