package dev.saga.events;

import java.util.UUID;

/** The customer was told the outcome of an order; {@code messageId} is the e-mail's Message-ID. */
public record NotificationSent(
    UUID orderId, UUID notificationId, Outcome outcome, String recipient, String messageId)
    implements NotificationEvent {

  @Override
  public String subject() {
    return orderId.toString();
  }

  /** The order outcome the notification announces. */
  public enum Outcome {
    CONFIRMED,
    CANCELLED
  }
}
