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
   * @return 1 if stored, 0 if the order had this notification already
   */
  @Modifying
  @Query(
      nativeQuery = true,
      value =
          """
          insert into notifications (notification_id, order_id, outcome, customer_id, recipient,
              subject, body, message_id, status, attempts, next_attempt_at, created_at)
          values (:#{#n.notificationId()}, :#{#n.orderId()}, :#{#n.outcome().name()},
              :#{#n.customerId()}, :#{#n.recipient()}, :#{#n.subject()}, :#{#n.body()},
              :#{#n.messageId()}, :#{#n.status().name()}, :#{#n.attempts()},
              :#{#n.nextAttemptAt()}, :#{#n.createdAt()})
          on conflict (order_id, outcome) do nothing
          """)
  int insertIfAbsent(@Param("n") Notification notification);

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
