package dev.saga.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.saga.events.CancelOrder;
import dev.saga.events.NotificationSent;
import dev.saga.events.NotificationSent.Outcome;
import dev.saga.events.OrderConfirmed;
import dev.saga.notification.Notification.Status;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NotificationTests {

  private static final UUID NOTIFICATION_ID =
      UUID.fromString("5f0c6a8e-8f0e-4a43-a4a5-0c3a3f1f7b11");
  private static final UUID ORDER_ID = UUID.fromString("0b7d8c52-3a57-4f6e-9d2a-6f1f0b5c2e44");
  private static final Instant RECORDED = Instant.parse("2026-11-02T10:15:30Z");
  private static final RetryPolicy RETRIES =
      new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10));

  @Test
  void aConfirmedOrderIsNotifiedWithItsTotal() {
    Notification notification = confirmed();

    assertThat(notification.notificationId()).isEqualTo(NOTIFICATION_ID);
    assertThat(notification.orderId()).isEqualTo(ORDER_ID);
    assertThat(notification.outcome()).isEqualTo(Outcome.CONFIRMED);
    assertThat(notification.customerId()).isEqualTo("C-1");
    assertThat(notification.recipient()).isEqualTo("C-1@example.com");
    assertThat(notification.subject()).isEqualTo("Order " + ORDER_ID + " confirmed");
    assertThat(notification.body())
        .contains("Hello C-1,")
        .contains("your order " + ORDER_ID + " is confirmed. Total: 30.00 EUR.");
    assertThat(notification.messageId()).isEqualTo("<" + NOTIFICATION_ID + "@example.com>");
  }

  @ParameterizedTest
  @CsvSource({
    "C-1, C-1",
    "a.b, a.b",
    "a..b, '\"a..b\"'",
    ".a, '\".a\"'",
    "a., '\"a.\"'",
    "., '\".\"'"
  })
  void addressesTheCustomerQuotedWhereTheIdIsNoDotAtom(String customerId, String localPart) {
    assertThat(Notification.localPart(customerId)).isEqualTo(localPart);
  }

  @Test
  void aNewNotificationIsPendingAndDueAtOnce() {
    Notification notification = confirmed();

    assertThat(notification.status()).isEqualTo(Status.PENDING);
    assertThat(notification.createdAt()).isEqualTo(RECORDED);
    assertThat(notification.nextAttemptAt()).isEqualTo(RECORDED);
    assertThat(notification.attempts()).isZero();
    assertThat(notification.sentAt()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "OUT_OF_STOCK, because an item is out of stock",
    "PAYMENT_DECLINED, because the payment was declined",
    "TIMEOUT, because it could not be completed in time",
    "CUSTOMER_CANCELLED, because you cancelled it"
  })
  void aCancelledOrderIsNotifiedWithTheReason(CancelOrder.Reason reason, String explanation) {
    Notification notification =
        Notification.cancelled(
            NOTIFICATION_ID, new CancelOrder(ORDER_ID, "C-2", reason), "shop.test", RECORDED);

    assertThat(notification.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(notification.status()).isEqualTo(Status.PENDING);
    assertThat(notification.recipient()).isEqualTo("C-2@shop.test");
    assertThat(notification.subject()).isEqualTo("Order " + ORDER_ID + " cancelled");
    assertThat(notification.body())
        .contains("your order " + ORDER_ID + " was cancelled " + explanation + ".");
    assertThat(notification.messageId()).isEqualTo("<" + NOTIFICATION_ID + "@shop.test>");
  }

  @Test
  void sendingAPendingNotificationAnnouncesIt() {
    Notification notification = confirmed();
    Instant accepted = RECORDED.plusMillis(40);

    assertThat(notification.markSent(accepted))
        .contains(
            new NotificationSent(
                ORDER_ID,
                NOTIFICATION_ID,
                Outcome.CONFIRMED,
                "C-1@example.com",
                "<" + NOTIFICATION_ID + "@example.com>"));
    assertThat(notification.status()).isEqualTo(Status.SENT);
    assertThat(notification.sentAt()).isEqualTo(accepted);
  }

  @Test
  void sendingTwiceAnnouncesOnceAndKeepsTheFirstSendTime() {
    Notification notification = confirmed();
    Instant first = RECORDED.plusSeconds(1);
    notification.markSent(first);

    assertThat(notification.markSent(RECORDED.plusSeconds(5))).isEmpty();
    assertThat(notification.status()).isEqualTo(Status.SENT);
    assertThat(notification.sentAt()).isEqualTo(first);
  }

  @Test
  void aFailedSendStaysPendingAndIsRetriedLater() {
    Notification notification = confirmed();
    Instant failedAt = RECORDED.plusSeconds(2);

    notification.sendFailed("MailConnectException: Connection refused", failedAt, RETRIES);

    assertThat(notification.status()).isEqualTo(Status.PENDING);
    assertThat(notification.attempts()).isEqualTo(1);
    assertThat(notification.lastError()).isEqualTo("MailConnectException: Connection refused");
    assertThat(notification.nextAttemptAt()).isEqualTo(failedAt.plusSeconds(1));
    assertThat(notification.sentAt()).isNull();
  }

  @Test
  void repeatedFailuresBackOffUpToTheCap() {
    Notification notification = confirmed();

    for (int attempt = 1; attempt <= 6; attempt++) {
      notification.sendFailed("down", RECORDED, RETRIES);
    }

    assertThat(notification.attempts()).isEqualTo(6);
    assertThat(notification.nextAttemptAt()).isEqualTo(RECORDED.plusSeconds(10));
  }

  @Test
  void aLongFailureReasonIsShortened() {
    Notification notification = confirmed();

    notification.sendFailed("x".repeat(2_000), RECORDED, RETRIES);

    assertThat(notification.lastError()).hasSize(Notification.MAX_ERROR_LENGTH);
  }

  @Test
  void aNotificationSentAfterFailuresIsAnnounced() {
    Notification notification = confirmed();
    notification.sendFailed("down", RECORDED, RETRIES);
    notification.sendFailed("down", RECORDED.plusSeconds(1), RETRIES);

    assertThat(notification.markSent(RECORDED.plusSeconds(3))).isPresent();
    assertThat(notification.status()).isEqualTo(Status.SENT);
    assertThat(notification.attempts()).isEqualTo(2);
  }

  @Test
  void aSentNotificationCannotFailAnyMore() {
    Notification notification = confirmed();
    notification.markSent(RECORDED);

    assertThatIllegalStateException()
        .isThrownBy(() -> notification.sendFailed("late", RECORDED, RETRIES))
        .withMessageContaining("sent already");
    assertThat(notification.attempts()).isZero();
  }

  @Test
  void aRejectedNotificationIsNeitherRetriedNorSent() {
    Notification notification = confirmed();
    notification.sendFailed("451 try again later", RECORDED, RETRIES);
    Instant rejectedAt = RECORDED.plusSeconds(2);

    notification.reject("550 5.1.1 user unknown", rejectedAt);

    assertThat(notification.status()).isEqualTo(Status.REJECTED);
    assertThat(notification.attempts()).isEqualTo(2);
    assertThat(notification.lastError()).isEqualTo("550 5.1.1 user unknown");
    assertThat(notification.rejectedAt()).isEqualTo(rejectedAt);
    assertThat(notification.sentAt()).isNull();
    assertThatIllegalStateException()
        .isThrownBy(() -> notification.sendFailed("again", RECORDED, RETRIES))
        .withMessageContaining("rejected already");
    assertThatIllegalStateException()
        .isThrownBy(() -> notification.markSent(RECORDED))
        .withMessageContaining("rejected");
    assertThat(notification.status()).isEqualTo(Status.REJECTED);
  }

  @Test
  void aSentNotificationCannotBeRejected() {
    Notification notification = confirmed();
    notification.markSent(RECORDED);

    assertThatIllegalStateException()
        .isThrownBy(() -> notification.reject("550 late", RECORDED))
        .withMessageContaining("sent already");
    assertThat(notification.status()).isEqualTo(Status.SENT);
    assertThat(notification.rejectedAt()).isNull();
  }

  private static Notification confirmed() {
    return Notification.confirmed(
        NOTIFICATION_ID,
        new OrderConfirmed(ORDER_ID, "C-1", new BigDecimal("30.00"), "EUR"),
        "example.com",
        RECORDED);
  }
}
