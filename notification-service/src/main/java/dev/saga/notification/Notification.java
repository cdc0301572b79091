package dev.saga.notification;

import dev.saga.events.CancelOrder;
import dev.saga.events.NotificationSent;
import dev.saga.events.NotificationSent.Outcome;
import dev.saga.events.OrderConfirmed;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The customer's notification of one order outcome, and the state of the e-mail that carries it.
 */
@Entity
@Table(name = "notifications")
class Notification {

  /** Longest failure reason kept; enough to diagnose, short enough for a health detail. */
  static final int MAX_ERROR_LENGTH = 500;

  @Id private UUID notificationId;
  private UUID orderId;

  @Enumerated(EnumType.STRING)
  private Outcome outcome;

  private String customerId;
  private String recipient;
  private String subject;
  private String body;
  private String messageId;

  @Enumerated(EnumType.STRING)
  private Status status;

  private int attempts;
  private Instant nextAttemptAt;
  private String lastError;
  private Instant createdAt;
  private Instant sentAt;
  private Instant rejectedAt;
  private String traceParent;

  protected Notification() {
    // for JPA
  }

  private Notification(
      UUID notificationId,
      UUID orderId,
      Outcome outcome,
      String customerId,
      String mailDomain,
      String subject,
      String body,
      Instant now) {
    this.notificationId = notificationId;
    this.orderId = orderId;
    this.outcome = outcome;
    this.customerId = customerId;
    this.recipient = localPart(customerId) + "@" + mailDomain;
    this.subject = subject;
    this.body = body;
    // Derived from the id, so every resend of this mail carries the same Message-ID.
    this.messageId = "<" + notificationId + "@" + mailDomain + ">";
    this.status = Status.PENDING;
    this.nextAttemptAt = now;
    this.createdAt = now;
  }

  /** A pending notification that the order was confirmed, with its total. */
  static Notification confirmed(
      UUID notificationId, OrderConfirmed confirmed, String mailDomain, Instant now) {
    return new Notification(
        notificationId,
        confirmed.orderId(),
        Outcome.CONFIRMED,
        confirmed.customerId(),
        mailDomain,
        "Order " + confirmed.orderId() + " confirmed",
        """
        Hello %s,

        your order %s is confirmed. Total: %s %s.

        Thank you for your order.
        """
            .formatted(
                confirmed.customerId(),
                confirmed.orderId(),
                confirmed.totalAmount().toPlainString(),
                confirmed.currency()),
        now);
  }

  /** A pending notification that the order was cancelled, with the reason. */
  static Notification cancelled(
      UUID notificationId, CancelOrder cancel, String mailDomain, Instant now) {
    return new Notification(
        notificationId,
        cancel.orderId(),
        Outcome.CANCELLED,
        cancel.customerId(),
        mailDomain,
        "Order " + cancel.orderId() + " cancelled",
        """
        Hello %s,

        your order %s was cancelled because %s. Nothing was charged.
        """
            .formatted(cancel.customerId(), cancel.orderId(), explain(cancel.reason())),
        now);
  }

  /**
   * Remembers the trace the notification was recorded in (a W3C {@code traceparent}), so sending it
   * later continues that trace.
   */
  Notification inTrace(String traceParent) {
    this.traceParent = traceParent;
    return this;
  }

  /**
   * The mail server accepted the e-mail.
   *
   * @return the event announcing it, or empty if the notification was sent before
   * @throws IllegalStateException if the mail server rejected it
   */
  Optional<NotificationSent> markSent(Instant at) {
    if (status == Status.SENT) {
      return Optional.empty();
    }
    if (status == Status.REJECTED) {
      throw new IllegalStateException("Notification " + notificationId + " was rejected");
    }
    status = Status.SENT;
    sentAt = at;
    return Optional.of(
        new NotificationSent(orderId, notificationId, outcome, recipient, messageId));
  }

  /**
   * The mail server could not be reached or could not take the e-mail for now: it stays pending and
   * is retried after the policy's delay for this many failures.
   *
   * @throws IllegalStateException if it is no longer pending
   */
  void sendFailed(String error, Instant at, RetryPolicy retries) {
    failed(error);
    nextAttemptAt = at.plus(retries.delayAfter(attempts));
  }

  /**
   * The mail server refused the recipient for good: the e-mail is never sent again.
   *
   * @throws IllegalStateException if it is no longer pending
   */
  void reject(String error, Instant at) {
    failed(error);
    status = Status.REJECTED;
    rejectedAt = at;
  }

  private void failed(String error) {
    if (status != Status.PENDING) {
      throw new IllegalStateException(
          "Notification " + notificationId + " was " + status.name().toLowerCase() + " already");
    }
    attempts++;
    lastError =
        error == null || error.length() <= MAX_ERROR_LENGTH
            ? error
            : error.substring(0, MAX_ERROR_LENGTH);
  }

  private static String explain(CancelOrder.Reason reason) {
    return switch (reason) {
      case OUT_OF_STOCK -> "an item is out of stock";
      case PAYMENT_DECLINED -> "the payment was declined";
      case TIMEOUT -> "it could not be completed in time";
      case CUSTOMER_CANCELLED -> "you cancelled it";
    };
  }

  UUID notificationId() {
    return notificationId;
  }

  UUID orderId() {
    return orderId;
  }

  Outcome outcome() {
    return outcome;
  }

  String customerId() {
    return customerId;
  }

  String recipient() {
    return recipient;
  }

  String subject() {
    return subject;
  }

  String body() {
    return body;
  }

  String messageId() {
    return messageId;
  }

  Status status() {
    return status;
  }

  int attempts() {
    return attempts;
  }

  Instant nextAttemptAt() {
    return nextAttemptAt;
  }

  String lastError() {
    return lastError;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant sentAt() {
    return sentAt;
  }

  Instant rejectedAt() {
    return rejectedAt;
  }

  /**
   * The customer id as the local part of an address: as it is where it is a dot-atom (RFC 5322
   * §3.4.1), otherwise quoted, as {@code "a..b"}. A customer id ({@code [A-Za-z0-9._-]{1,64}}) is
   * one unless a dot starts or ends it or follows another; quotes make it valid without escapes.
   * Unquoted, such an address is refused before it is sent, and the mail would stay pending.
   */
  static String localPart(String customerId) {
    boolean dotAtom =
        !customerId.startsWith(".") && !customerId.endsWith(".") && !customerId.contains("..");
    return dotAtom ? customerId : "\"" + customerId + "\"";
  }

  /** Where the e-mail stands: {@code PENDING} rows are the mail outbox. */
  enum Status {
    PENDING,
    SENT,
    /** The mail server refused the recipient permanently; the e-mail is not sent. */
    REJECTED
  }

  /** The W3C {@code traceparent} the notification was recorded in, or {@code null}. */
  String traceParent() {
    return traceParent;
  }
}
