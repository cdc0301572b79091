package dev.saga.notification;

import dev.saga.events.NotificationSent.Outcome;
import dev.saga.notification.Notification.Status;
import dev.saga.web.ProblemResponses;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The notifications of an order: which outcome the customer was told, and when. */
@RestController
@RequestMapping("/api/notifications")
class NotificationController {

  private final Notifications notifications;

  NotificationController(Notifications notifications) {
    this.notifications = notifications;
  }

  /** The order's notifications, oldest first; empty for an order without any (yet). */
  @GetMapping
  @ProblemResponses(400)
  List<NotificationResponse> ofOrder(@RequestParam UUID orderId) {
    return notifications.ofOrder(orderId).stream().map(NotificationResponse::of).toList();
  }

  /**
   * A notification: its e-mail is {@code PENDING} (then {@code sentAt} is null), {@code SENT}, or
   * {@code REJECTED}, when the mail server refused its recipient for good ({@code rejection} is the
   * server's reply).
   */
  record NotificationResponse(
      UUID notificationId,
      UUID orderId,
      Outcome outcome,
      String recipient,
      String subject,
      Status status,
      Instant sentAt,
      String rejection) {

    static NotificationResponse of(Notification notification) {
      return new NotificationResponse(
          notification.notificationId(),
          notification.orderId(),
          notification.outcome(),
          notification.recipient(),
          notification.subject(),
          notification.status(),
          notification.sentAt(),
          notification.status() == Status.REJECTED ? notification.lastError() : null);
    }
  }
}
