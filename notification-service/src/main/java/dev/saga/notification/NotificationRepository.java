package dev.saga.notification;

import dev.saga.events.NotificationSent.Outcome;
import dev.saga.notification.Notification.Status;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface NotificationRepository extends JpaRepository<Notification, UUID> {

  /**
   * Stores {@code notification} unless its order already has one for this outcome; race-free
   * between concurrent transactions, which serialize on the unique constraint.
   *
   * @return {@code true} if stored, {@code false} if the order had this notification already
   */
  default boolean insertIfAbsent(Notification notification) {
    return insertIfAbsent(
            notification.notificationId(),
            notification.orderId(),
            notification.outcome().name(),
            notification.customerId(),
            notification.recipient(),
            notification.subject(),
            notification.body(),
            notification.messageId(),
            notification.status().name(),
            notification.nextAttemptAt(),
            notification.createdAt(),
            notification.traceParent())
        == 1;
  }

  @Modifying
  @Query(
      nativeQuery = true,
      value =
          """
          insert into notifications (notification_id, order_id, outcome, customer_id, recipient,
              subject, body, message_id, status, next_attempt_at, created_at, trace_parent)
          values (:notificationId, :orderId, :outcome, :customerId, :recipient, :subject, :body,
              :messageId, :status, :nextAttemptAt, :createdAt, :traceParent)
          on conflict (order_id, outcome) do nothing
          """)
  int insertIfAbsent(
      UUID notificationId,
      UUID orderId,
      String outcome,
      String customerId,
      String recipient,
      String subject,
      String body,
      String messageId,
      String status,
      Instant nextAttemptAt,
      Instant createdAt,
      String traceParent);

  /** Whether the order has a notification of another outcome than {@code outcome}. */
  boolean existsByOrderIdAndOutcomeNot(UUID orderId, Outcome outcome);

  List<Notification> findByOrderIdOrderByCreatedAt(UUID orderId);

  /**
   * Locks up to {@code limit} pending mails that are due at {@code now}, oldest due first, skipping
   * those another relay has locked, so several instances of the service never send one mail
   * concurrently.
   */
  @Query(
      nativeQuery = true,
      value =
          """
          select * from notifications
          where status = 'PENDING' and next_attempt_at <= :now
          order by next_attempt_at
          limit :limit
          for update skip locked
          """)
  List<Notification> claimDue(@Param("now") Instant now, @Param("limit") int limit);

  /** When the earliest notification in {@code status} is due to be sent; empty if none is. */
  @Query("select min(n.nextAttemptAt) from Notification n where n.status = :status")
  Optional<Instant> earliestAttemptAt(@Param("status") Status status);

  long countByStatus(Status status);
}
