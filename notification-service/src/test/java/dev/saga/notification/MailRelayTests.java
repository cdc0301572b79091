package dev.saga.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.saga.events.OrderConfirmed;
import dev.saga.events.Topics;
import dev.saga.messaging.EventRecords;
import dev.saga.messaging.Outbox;
import dev.saga.messaging.SagaTracing;
import dev.saga.notification.Notification.Status;
import dev.saga.test.KafkaProbe;
import dev.saga.test.RecordedSpans;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The mail relay sends every recorded notification at least once, whatever fails in between, and
 * the quiet state waits for it.
 */
@NotificationServiceTest
class MailRelayTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired MailRelay relay;
  @Autowired NotificationRepository notifications;
  @Autowired JavaMailSender mailSender;
  @Autowired Outbox outbox;
  @Autowired PlatformTransactionManager transactionManager;
  @Autowired NotificationProperties properties;
  @Autowired SagaTracing tracing;
  @Autowired RecordedSpans spans;

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
  void sendsAMailLaterWhenTheMailServerWasUnavailable() throws IOException {
    // A second relay, as another instance of the service would run, whose mail server is down.
    MailRelay cutOff = relay(unreachableMailServer(), new TransactionTemplate(transactionManager));
    OrderConfirmed confirmed = confirmed();

    relay.stop();
    try {
      Notification pending = record(confirmed);

      assertThat(cutOff.sendBatch()).isPositive();

      Notification failed = notifications.findById(pending.notificationId()).orElseThrow();
      assertThat(failed.status()).isEqualTo(Status.PENDING);
      assertThat(failed.attempts()).isEqualTo(1);
      assertThat(failed.lastError()).isNotBlank();
      assertThat(failed.nextAttemptAt()).isAfter(pending.nextAttemptAt());
      assertThat(Mailbox.withMessageId(pending.messageId())).isEmpty();
    } finally {
      relay.start();
    }

    Notification sent = awaitSent(confirmed.orderId());
    assertThat(sent.attempts()).isEqualTo(1);
    assertThat(Mailbox.withMessageId(sent.messageId())).hasSize(1);
    awaitAnnounced(confirmed.orderId());
  }

  @Test
  void rejectsAMailWhoseRecipientTheMailServerRefusesForGoodAndNeverSendsIt() {
    OrderConfirmed confirmed = confirmed();

    Notification rejected = sendOnceRefusedWith(confirmed, "550 5.1.1 <%s>: User unknown");

    assertRejectedForGood(rejected, confirmed, "550 5.1.1");
    assertThat(rejected.lastError()).contains("User unknown");
    assertThat(notifications.findById(rejected.notificationId()).orElseThrow().status())
        .isEqualTo(Status.REJECTED);
    ServiceClient.Response shown = service.notifications(confirmed.orderId());
    assertThat(shown.body().at("/0/status").asString()).isEqualTo("REJECTED");
    assertThat(shown.body().at("/0/sentAt").isNull()).isTrue();
    assertThat(shown.body().at("/0/rejection").asString()).contains("550 5.1.1");
  }

  @Test
  void rejectsAMailWhoseContentTheMailServerRefusesForGood() {
    OrderConfirmed confirmed = confirmed();

    Notification rejected =
        sendOnceRefusedBy(
            confirmed,
            (server, recipient) ->
                server.refuseMessagesTo(recipient, "554 5.7.1 Message rejected as spam"));

    assertRejectedForGood(rejected, confirmed, "554 5.7.1");
  }

  @Test
  void retriesAMailWhoseContentTheMailServerRefusesForNow() {
    OrderConfirmed confirmed = confirmed();

    Notification failed =
        sendOnceRefusedBy(
            confirmed,
            (server, recipient) ->
                server.refuseMessagesTo(recipient, "451 4.3.0 Temporary local problem"));

    assertRetriedAndSent(failed, confirmed, "451 4.3.0");
  }

  @Test
  void retriesAMailWhoseSenderTheMailServerRefusesForItRefusesEveryMailAlike() {
    OrderConfirmed confirmed = confirmed();

    Notification failed =
        sendOnceRefusedBy(
            confirmed, (server, recipient) -> server.refuseSender("553 5.7.1 Sender not allowed"));

    assertRetriedAndSent(failed, confirmed, "553 5.7.1");
  }

  @Test
  void retriesAMailWhoseRecipientTheMailServerRefusesForNow() {
    OrderConfirmed confirmed = confirmed();

    Notification failed = sendOnceRefusedWith(confirmed, "450 4.2.1 <%s>: Mailbox busy");

    assertRetriedAndSent(failed, confirmed, "450 4.2.1");
    awaitAnnounced(confirmed.orderId());
  }

  @Test
  void resendsAMailWithTheSameMessageIdWhenTheCommitAfterSendingIsLost() {
    MailRelay crashing = relay(mailSender, crashingBeforeCommit());
    OrderConfirmed confirmed = confirmed();

    relay.stop();
    Notification pending;
    try {
      pending = record(confirmed);

      assertThatExceptionOfType(SimulatedCrash.class).isThrownBy(crashing::sendBatch);

      assertThat(Mailbox.withMessageId(pending.messageId())).hasSize(1);
      assertThat(notifications.findById(pending.notificationId()).orElseThrow().status())
          .isEqualTo(Status.PENDING);
    } finally {
      relay.start();
    }

    awaitSent(confirmed.orderId());
    assertThat(Mailbox.withMessageId(pending.messageId()))
        .as("sent again, recognisable as the same mail")
        .hasSize(2);
    awaitQuiet();
    assertThat(announced(confirmed.orderId())).as("announced once").hasSize(1);
  }

  @Test
  void aSecondRelaySkipsTheMailsAnotherRelayIsSending() throws Exception {
    OrderConfirmed confirmed = confirmed();

    relay.stop();
    try {
      Notification pending = record(confirmed);

      new TransactionTemplate(transactionManager)
          .executeWithoutResult(
              status -> {
                List<Notification> held = notifications.claimDue(Instant.now(), 1_000);
                assertThat(held)
                    .extracting(Notification::notificationId)
                    .contains(pending.notificationId());

                // Neither waits for the lock nor sends the mail this transaction holds.
                int taken = join(CompletableFuture.supplyAsync(relay::sendBatch));

                assertThat(taken).isZero();
                assertThat(Mailbox.withMessageId(pending.messageId())).isEmpty();
              });
    } finally {
      relay.start();
    }

    Notification sent = awaitSent(confirmed.orderId());
    assertThat(Mailbox.withMessageId(sent.messageId())).hasSize(1);
  }

  @Test
  void isBusyWhileAMailIsPendingAndQuietOnceItIsSent() {
    awaitQuiet();
    OrderConfirmed confirmed = confirmed();

    relay.stop();
    try {
      record(confirmed);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                ServiceClient.Response quiet = service.quiet();
                assertThat(quiet.status()).isEqualTo(503);
                assertThat(quiet.body().at("/components/mailOutbox/status").asString())
                    .isEqualTo("BUSY");
                assertThat(quiet.body().at("/components/mailOutbox/details/pending").asLong())
                    .isEqualTo(1);
              });
    } finally {
      relay.start();
    }

    awaitQuiet();
    ServiceClient.Response quiet = service.quiet();
    assertThat(quiet.body().at("/components/mailOutbox/status").asString()).isEqualTo("UP");
    assertThat(quiet.body().at("/components/mailOutbox/details/pending").asLong()).isZero();
    assertThat(notifications.findByOrderIdOrderByCreatedAt(confirmed.orderId()))
        .extracting(Notification::status)
        .containsExactly(Status.SENT);
  }

  @Test
  void sendsTheMailAndAnnouncesItInTheTraceOfTheOutcome() {
    OrderConfirmed confirmed = confirmed();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    ProducerRecord<String, byte[]> record =
        EventRecords.of(confirmed, UUID.randomUUID(), "/order-service");
    record
        .headers()
        .add(
            "traceparent",
            ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));

    kafka.send(record);

    ConsumerRecord<String, byte[]> announced =
        kafka
            .await(Topics.NOTIFICATIONS, r -> confirmed.subject().equals(r.key()), 1, WAIT)
            .getFirst();
    List<SpanData> trace =
        await()
            .atMost(WAIT)
            .until(
                () -> spans.ofTrace(traceId),
                found ->
                    found.stream().anyMatch(span -> span.getName().equals("notifications send")));
    SpanData consumed = named(trace, "orders process");
    SpanData mail = named(trace, "mail send");
    SpanData published = named(trace, "notifications send");
    assertThat(consumed.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(mail.getParentSpanId()).isEqualTo(consumed.getSpanId());
    assertThat(published.getParentSpanId()).isEqualTo(mail.getSpanId());
    assertThat(
            new String(
                announced.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
        .isEqualTo("00-" + traceId + "-" + published.getSpanId() + "-01");
  }

  @Test
  void sendsTheMailOfACustomerWhoseIdIsNoDotAtomToItsQuotedAddress() throws Exception {
    // A valid id ([A-Za-z0-9._-]{1,64}) that cannot be an unquoted local part: two dots in a row,
    // and a dot at the end.
    String customerId = "a..b-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    OrderConfirmed confirmed =
        new OrderConfirmed(UUID.randomUUID(), customerId, new BigDecimal("12.00"), "EUR");

    kafka.send(EventRecords.of(confirmed, UUID.randomUUID(), "/order-service"));

    Notification sent = awaitSent(confirmed.orderId());
    assertThat(sent.recipient()).isEqualTo("\"" + customerId + "\"@example.com");
    List<MimeMessage> received = Mailbox.withMessageId(sent.messageId());
    assertThat(received).hasSize(1);
    assertThat(received.getFirst().getRecipients(Message.RecipientType.TO))
        .extracting(address -> ((InternetAddress) address).getAddress())
        .containsExactly(sent.recipient());
    awaitAnnounced(confirmed.orderId());
  }

  private static SpanData named(List<SpanData> trace, String name) {
    return trace.stream()
        .filter(span -> span.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + trace));
  }

  /** Delivers the outcome and waits until its notification is recorded. */
  private Notification record(OrderConfirmed confirmed) {
    kafka.send(EventRecords.of(confirmed, UUID.randomUUID(), "/order-service"));
    return await()
        .atMost(WAIT)
        .until(
            () -> notifications.findByOrderIdOrderByCreatedAt(confirmed.orderId()),
            found -> found.size() == 1)
        .get(0);
  }

  /**
   * The mail is rejected after one attempt with the server's {@code reply}: no longer pending (the
   * service is quiet, its own relay never takes it), never delivered, never announced.
   */
  private void assertRejectedForGood(
      Notification rejected, OrderConfirmed confirmed, String reply) {
    assertThat(rejected.status()).isEqualTo(Status.REJECTED);
    assertThat(rejected.attempts()).isEqualTo(1);
    assertThat(rejected.lastError()).contains(reply);
    assertThat(rejected.rejectedAt()).isNotNull();
    awaitQuiet();
    assertThat(relay.sendBatch()).as("mails due").isZero();
    assertThat(Mailbox.withMessageId(rejected.messageId())).isEmpty();
    assertThat(announced(confirmed.orderId())).as("no NotificationSent").isEmpty();
  }

  /** The mail stays pending after the server's {@code reply}, and the service's relay sends it. */
  private void assertRetriedAndSent(Notification failed, OrderConfirmed confirmed, String reply) {
    assertThat(failed.status()).isEqualTo(Status.PENDING);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.lastError()).contains(reply);
    Notification sent = awaitSent(confirmed.orderId());
    assertThat(Mailbox.withMessageId(sent.messageId())).hasSize(1);
  }

  /**
   * Records the outcome's notification while the service's relay is stopped, and has a second relay
   * send it once to a mail server that answers the recipient with {@code reply} (its {@code %s} is
   * the address); the notification as stored right after that attempt.
   */
  private Notification sendOnceRefusedWith(OrderConfirmed confirmed, String reply) {
    return sendOnceRefusedBy(
        confirmed, (server, recipient) -> server.refuse(recipient, reply.formatted(recipient)));
  }

  /** As {@link #sendOnceRefusedWith}, with the server's refusal set up by {@code refusal}. */
  private Notification sendOnceRefusedBy(
      OrderConfirmed confirmed, BiConsumer<RefusingMailServer, String> refusal) {
    String recipient = confirmed.customerId() + "@example.com";
    awaitQuiet();
    try (RefusingMailServer server = new RefusingMailServer()) {
      refusal.accept(server, recipient);
      MailRelay refused = relay(server.sender(), new TransactionTemplate(transactionManager));
      relay.stop();
      try {
        Notification pending = record(confirmed);

        assertThat(refused.sendBatch()).isEqualTo(1);

        assertThat(server.received()).isZero();
        return notifications.findById(pending.notificationId()).orElseThrow();
      } finally {
        relay.start();
      }
    }
  }

  private Notification awaitSent(UUID orderId) {
    return await()
        .atMost(WAIT)
        .until(
            () -> notifications.findByOrderIdOrderByCreatedAt(orderId).get(0),
            notification -> notification.status() == Status.SENT);
  }

  private void awaitAnnounced(UUID orderId) {
    kafka.await(Topics.NOTIFICATIONS, r -> orderId.toString().equals(r.key()), 1, WAIT);
  }

  private List<?> announced(UUID orderId) {
    return kafka.readAll(Topics.NOTIFICATIONS).stream()
        .filter(r -> orderId.toString().equals(r.key()))
        .toList();
  }

  private void awaitQuiet() {
    await().atMost(WAIT).until(() -> service.quiet().status() == 200);
  }

  private MailRelay relay(JavaMailSender sender, TransactionTemplate transactions) {
    return new MailRelay(
        notifications,
        sender,
        outbox,
        transactions,
        properties,
        new SimpleMeterRegistry(),
        tracing);
  }

  /** A mail sender whose server refuses connections: a port nothing listens on any more. */
  private static JavaMailSender unreachableMailServer() throws IOException {
    JavaMailSenderImpl sender = new JavaMailSenderImpl();
    sender.setHost("127.0.0.1");
    try (ServerSocket socket = new ServerSocket(0)) {
      sender.setPort(socket.getLocalPort());
    }
    return sender;
  }

  /** Runs the relay's work, then dies before the commit, as a crashed process would. */
  private TransactionTemplate crashingBeforeCommit() {
    return new TransactionTemplate(transactionManager) {
      @Override
      public <T> T execute(TransactionCallback<T> action) {
        return super.execute(
            status -> {
              action.doInTransaction(status);
              throw new SimulatedCrash();
            });
      }
    };
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("The second relay did not finish its batch", e);
    }
  }

  private static OrderConfirmed confirmed() {
    return new OrderConfirmed(
        UUID.randomUUID(),
        "C-" + UUID.randomUUID().toString().substring(0, 8),
        new BigDecimal("12.00"),
        "EUR");
  }

  private static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash() {
      super("The process died before the commit");
    }
  }
}
