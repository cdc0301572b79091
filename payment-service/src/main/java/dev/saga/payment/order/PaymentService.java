package dev.saga.payment.order;

import dev.saga.events.PaymentProcessed;
import dev.saga.messaging.Outbox;
import dev.saga.messaging.RejectedEventException;
import dev.saga.payment.SagaProperties;
import dev.saga.payment.account.AccountRepository;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Charges, refunds and refuses order payments as the saga's events arrive, each in one transaction
 * with the event it publishes.
 *
 * <p>Every effect first locks the order's record, then (only when money moves) the customer's
 * account. Events of one order on different topics, and several instances of the service, therefore
 * apply one after the other; and since an account PUT locks only the account, no two transactions
 * ever wait for each other in a cycle.
 */
@Service
class PaymentService {

  private final PaymentOrderRepository orders;
  private final AccountRepository accounts;
  private final Outbox outbox;
  private final SagaProperties saga;

  PaymentService(
      PaymentOrderRepository orders,
      AccountRepository accounts,
      Outbox outbox,
      SagaProperties saga) {
    this.orders = orders;
    this.accounts = accounts;
    this.outbox = outbox;
    this.saga = saga;
  }

  /** The order's stock is reserved: charge its total, or refuse if it was cancelled. */
  @Transactional
  void reserved(UUID orderId, String customerId, BigDecimal totalAmount, String currency) {
    if (!saga.currency().equals(currency)) {
      throw new RejectedEventException(
          "Order " + orderId + " is in " + currency + ", accounts are in " + saga.currency());
    }
    PaymentOrder order = lock(orderId, customerId);
    publish(order.reserved(totalAmount, accounts::lock));
  }

  /** The order is cancelled: refund its charge, or refuse a charge that comes later. */
  @Transactional
  void cancelled(UUID orderId, String customerId) {
    PaymentOrder order = lock(orderId, customerId);
    publish(order.cancelled(accounts::lock));
  }

  /** The order's charge and refund, in the order they happened; empty for an unknown order. */
  @Transactional(readOnly = true)
  List<Payment> payments(UUID orderId) {
    return orders.findPayments(orderId);
  }

  private PaymentOrder lock(UUID orderId, String customerId) {
    orders.createIfAbsent(orderId, customerId, saga.currency());
    PaymentOrder order =
        orders
            .lock(orderId)
            .orElseThrow(() -> new IllegalStateException("Order " + orderId + " vanished"));
    if (!order.customerId().equals(customerId)) {
      throw new RejectedEventException(
          "Order " + orderId + " belongs to " + order.customerId() + ", not " + customerId);
    }
    return order;
  }

  private void publish(Optional<PaymentProcessed> outcome) {
    outcome.ifPresent(outbox::add);
  }
}
