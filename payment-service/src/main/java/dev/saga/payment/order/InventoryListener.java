package dev.saga.payment.order;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Charges an order once its stock is reserved; the other stock changes need nothing from payment.
 */
@Component
@KafkaListener(topics = Topics.INVENTORY)
class InventoryListener {

  private final PaymentService payments;

  InventoryListener(PaymentService payments) {
    this.payments = payments;
  }

  @KafkaHandler
  void on(InventoryUpdated updated) {
    if (updated.status() == InventoryUpdated.Status.RESERVED) {
      payments.reserved(
          updated.orderId(), updated.customerId(), updated.totalAmount(), updated.currency());
    }
  }

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent event) {}
}
