package dev.saga.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.CancelOrder;
import dev.saga.events.NotificationSent;
import dev.saga.events.NotificationSent.Outcome;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderPlaced;
import dev.saga.events.Topics;
import dev.saga.messaging.EventRecords;
import dev.saga.messaging.RejectedEventException;
import dev.saga.notification.Notification.Status;
import dev.saga.test.KafkaProbe;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Each order outcome on {@code orders} becomes one notification, one e-mail and one event. */
@NotificationServiceTest
class OrderOutcomeNotificationTests {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SOURCE = "/order-service";

  @LocalServerPort int port;
  @Autowired NotificationRepository notifications;
  @Autowired JdbcClient jdbc;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private ServiceClient service;

  @BeforeEach
  void connect() {
    service = new ServiceClient(port);
  }

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void mailsAConfirmedOrderToTheCustomerOnceAndAnnouncesIt() throws Exception {
    OrderConfirmed confirmed = confirmed();

    kafka.send(EventRecords.of(confirmed, UUID.randomUUID(), SOURCE));

    NotificationSent sent = awaitAnnounced(confirmed.orderId());
    Notification notification = theNotificationOf(confirmed.orderId());
    assertThat(sent)
        .isEqualTo(
            new NotificationSent(
                confirmed.orderId(),
                notification.notificationId(),
                Outcome.CONFIRMED,
                confirmed.customerId() + "@example.com",
                "<" + notification.notificationId() + "@example.com>"));
    assertThat(notification.status()).isEqualTo(Status.SENT);

    MimeMessage mail = theOnlyMail(sent.messageId());
    assertThat(mail.getRecipients(Message.RecipientType.TO))
        .containsExactly(new InternetAddress(confirmed.customerId() + "@example.com"));
    assertThat(mail.getFrom()).containsExactly(new InternetAddress("orders@example.com"));
    assertThat(mail.getSubject()).isEqualTo("Order " + confirmed.orderId() + " confirmed");
    assertThat(((String) mail.getContent()).trim())
        .contains("Hello " + confirmed.customerId())
        .contains("Total: 42.50 EUR.");
  }

  @Test
  void mailsACancelledOrderWithTheReason() throws Exception {
    CancelOrder cancel =
        new CancelOrder(UUID.randomUUID(), customer(), CancelOrder.Reason.PAYMENT_DECLINED);

    kafka.send(EventRecords.of(cancel, UUID.randomUUID(), SOURCE));

    NotificationSent sent = awaitAnnounced(cancel.orderId());
    assertThat(sent.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(sent.recipient()).isEqualTo(cancel.customerId() + "@example.com");
    assertThat(theNotificationOf(cancel.orderId()).outcome()).isEqualTo(Outcome.CANCELLED);
    MimeMessage mail = theOnlyMail(sent.messageId());
    assertThat(mail.getSubject()).isEqualTo("Order " + cancel.orderId() + " cancelled");
    assertThat((String) mail.getContent()).contains("because the payment was declined");
  }

  @Test
  void sendsTheMailAsSoonAsTheNotificationIsRecorded() {
    OrderConfirmed confirmed = confirmed();

    kafka.send(EventRecords.of(confirmed, UUID.randomUUID(), SOURCE));

    awaitAnnounced(confirmed.orderId());
    Notification notification = theNotificationOf(confirmed.orderId());
    // The relay polls every 60 s in these tests; only the wake-up on commit makes this fast.
    assertThat(Duration.between(notification.createdAt(), notification.sentAt()))
        .isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void notifiesAnEventDeliveredTwiceOnce() {
    OrderConfirmed confirmed = confirmed();
    ProducerRecord<String, byte[]> record = EventRecords.of(confirmed, UUID.randomUUID(), SOURCE);

    kafka.send(record);
    kafka.send(record);

    NotificationSent sent = awaitAnnounced(confirmed.orderId());
    awaitQuiet();
    assertThat(notifications.findByOrderIdOrderByCreatedAt(confirmed.orderId())).hasSize(1);
    assertThat(Mailbox.withMessageId(sent.messageId())).hasSize(1);
    assertThat(announced(confirmed.orderId())).hasSize(1);
  }

  @Test
  void notifiesAnOutcomeReplayedUnderAnotherEventIdOnce() {
    OrderConfirmed confirmed = confirmed();
    UUID first = UUID.randomUUID();
    UUID replay = UUID.randomUUID();

    kafka.send(EventRecords.of(confirmed, first, SOURCE));
    kafka.send(EventRecords.of(confirmed, replay, SOURCE));

    awaitProcessed(first);
    awaitProcessed(replay);
    NotificationSent sent = awaitAnnounced(confirmed.orderId());
    awaitQuiet();
    assertThat(notifications.findByOrderIdOrderByCreatedAt(confirmed.orderId())).hasSize(1);
    assertThat(Mailbox.withMessageId(sent.messageId())).hasSize(1);
    assertThat(announced(confirmed.orderId())).hasSize(1);
  }

  @Test
  void ignoresAPlacedOrder() {
    UUID orderId = UUID.randomUUID();
    UUID eventId = UUID.randomUUID();
    OrderPlaced placed =
        new OrderPlaced(
            orderId,
            customer(),
            List.of(new OrderPlaced.Line("P-1", 1, new BigDecimal("42.50"))),
            new BigDecimal("42.50"),
            "EUR");

    RecordMetadata sent = kafka.send(EventRecords.of(placed, eventId, SOURCE));

    kafka.awaitConsumed("notification-service", sent, WAIT);
    assertThat(notifications.findByOrderIdOrderByCreatedAt(orderId)).isEmpty();
  }

  @Test
  void deadLettersAnOutcomeThatContradictsTheRecordedOne() {
    OrderConfirmed confirmed = confirmed();
    CancelOrder contradiction =
        new CancelOrder(confirmed.orderId(), confirmed.customerId(), CancelOrder.Reason.TIMEOUT);

    kafka.send(EventRecords.of(confirmed, UUID.randomUUID(), SOURCE));
    kafka.send(EventRecords.of(contradiction, UUID.randomUUID(), SOURCE));

    ConsumerRecord<String, byte[]> dead = awaitDeadLettered(confirmed.orderId());
    assertThat(header(dead, "saga_dlt-cause")).isEqualTo(RejectedEventException.class.getName());
    assertThat(EventRecords.read(Topics.ORDERS, dead.headers(), dead.value()))
        .isEqualTo(contradiction);
    assertThat(notifications.findByOrderIdOrderByCreatedAt(confirmed.orderId()))
        .extracting(Notification::outcome)
        .containsExactly(Outcome.CONFIRMED);
  }

  @Test
  void aPoisonRecordDoesNotBlockItsPartition() {
    OrderConfirmed next = confirmed();
    ProducerRecord<String, byte[]> poison =
        new ProducerRecord<>(
            Topics.ORDERS, next.subject(), "{\"orderId\": ".getBytes(StandardCharsets.UTF_8));
    EventRecords.of(next, UUID.randomUUID(), SOURCE).headers().forEach(poison.headers()::add);

    kafka.send(poison);
    kafka.send(EventRecords.of(next, UUID.randomUUID(), SOURCE));

    NotificationSent sent = awaitAnnounced(next.orderId());
    assertThat(sent.outcome()).isEqualTo(Outcome.CONFIRMED);
    ConsumerRecord<String, byte[]> dead = awaitDeadLettered(next.orderId());
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\": ");
    assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDERS);
  }

  private static OrderConfirmed confirmed() {
    return new OrderConfirmed(UUID.randomUUID(), customer(), new BigDecimal("42.50"), "EUR");
  }

  private static String customer() {
    return "C-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Waits for the order's {@code NotificationSent} and reads it as a consumer would. */
  private NotificationSent awaitAnnounced(UUID orderId) {
    ConsumerRecord<String, byte[]> record =
        kafka.await(Topics.NOTIFICATIONS, r -> orderId.toString().equals(r.key()), 1, WAIT).get(0);
    return (NotificationSent)
        EventRecords.read(Topics.NOTIFICATIONS, record.headers(), record.value());
  }

  private List<ConsumerRecord<String, byte[]>> announced(UUID orderId) {
    return kafka.readAll(Topics.NOTIFICATIONS).stream()
        .filter(r -> orderId.toString().equals(r.key()))
        .toList();
  }

  private ConsumerRecord<String, byte[]> awaitDeadLettered(UUID orderId) {
    return kafka
        .await(Topics.deadLetter(Topics.ORDERS), r -> orderId.toString().equals(r.key()), 1, WAIT)
        .get(0);
  }

  private Notification theNotificationOf(UUID orderId) {
    List<Notification> found = notifications.findByOrderIdOrderByCreatedAt(orderId);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static MimeMessage theOnlyMail(String messageId) {
    List<MimeMessage> mails = Mailbox.withMessageId(messageId);
    assertThat(mails).hasSize(1);
    return mails.get(0);
  }

  private void awaitProcessed(UUID eventId) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                jdbc.sql(
                            "select count(*) from processed_events where consumer = ? and event_id = ?")
                        .params("notification-service", eventId)
                        .query(Long.class)
                        .single()
                    == 1);
  }

  /** Nothing left to consume, send or publish: what happened so far is all that will happen. */
  private void awaitQuiet() {
    await().atMost(WAIT).until(() -> service.quiet().status() == 200);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
