package dev.saga.notification;

import dev.saga.messaging.QuietState;
import dev.saga.notification.Notification.Status;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Part of the quiet state ({@code mailOutbox}): {@code BUSY} while any e-mail is unsent. */
@Component
class MailOutboxHealthIndicator implements HealthIndicator {

  private final NotificationRepository notifications;

  MailOutboxHealthIndicator(NotificationRepository notifications) {
    this.notifications = notifications;
  }

  @Override
  public Health health() {
    long pending = notifications.countByStatus(Status.PENDING);
    return (pending == 0 ? Health.up() : Health.status(QuietState.BUSY))
        .withDetail("pending", pending)
        .build();
  }
}
