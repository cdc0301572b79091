package dev.saga.payment.order;

import dev.saga.events.CancelOrder;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Compensates a cancelled order's payment; placement and confirmation need nothing from payment,
 * which charges on the reservation instead. One consumer: it skips all but the cancellations
 * without a transaction, and each idle consumer polls the broker all the time (BENCHMARKS.md,
 * seventeenth round).
 */
@Component
@KafkaListener(topics = Topics.ORDERS, concurrency = "1")
class OrderListener {

  private final PaymentService payments;

  OrderListener(PaymentService payments) {
    this.payments = payments;
  }

  @KafkaHandler
  void on(CancelOrder cancel) {
    payments.cancelled(cancel.orderId(), cancel.customerId());
  }

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent event) {}
}
