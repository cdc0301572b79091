package dev.saga.notification;

import dev.saga.events.CancelOrder;
import dev.saga.events.OrderConfirmed;
import dev.saga.messaging.RejectedEventException;
import dev.saga.messaging.SagaTracing;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records one notification per order outcome; the {@link MailRelay} sends it once the recording
 * transaction commits.
 */
@Service
class Notifications {

  private final NotificationRepository repository;
  private final NotificationProperties properties;
  private final MailRelay relay;
  private final SagaTracing tracing;

  Notifications(
      NotificationRepository repository,
      NotificationProperties properties,
      MailRelay relay,
      SagaTracing tracing) {
    this.repository = repository;
    this.properties = properties;
    this.relay = relay;
    this.tracing = tracing;
  }

  @Transactional
  void recordConfirmed(OrderConfirmed confirmed) {
    record(
        Notification.confirmed(
            UUID.randomUUID(), confirmed, properties.mailDomain(), Instant.now()));
  }

  @Transactional
  void recordCancelled(CancelOrder cancel) {
    record(
        Notification.cancelled(UUID.randomUUID(), cancel, properties.mailDomain(), Instant.now()));
  }

  @Transactional(readOnly = true)
  List<Notification> ofOrder(UUID orderId) {
    return repository.findByOrderIdOrderByCreatedAt(orderId);
  }

  private void record(Notification untraced) {
    Notification notification = untraced.inTrace(tracing.currentTraceParent());
    // The order service decides an order's outcome once; a second, different one is impossible.
    // Events of one order arrive in order on one partition, so this check cannot race with the
    // insert of the other outcome.
    if (repository.existsByOrderIdAndOutcomeNot(notification.orderId(), notification.outcome())) {
      throw new RejectedEventException(
          "Order "
              + notification.orderId()
              + " has another outcome already; it cannot be "
              + notification.outcome());
    }
    if (!repository.insertIfAbsent(notification)) {
      // Recorded before, from a copy of this event under another id: the mail is on its way.
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            relay.wakeUp();
          }
        });
  }
}
