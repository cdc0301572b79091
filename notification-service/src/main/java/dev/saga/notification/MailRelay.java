package dev.saga.notification;

import dev.saga.messaging.Outbox;
import dev.saga.messaging.SagaTracing;
import dev.saga.messaging.WakeableWorker;
import dev.saga.notification.Notification.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the e-mail of every pending notification and announces it with {@code NotificationSent}.
 *
 * <p>Pending notifications are this service's mail outbox. Each batch runs in one transaction: it
 * locks due mails with {@code FOR UPDATE SKIP LOCKED} (so several instances of the service never
 * send one mail concurrently), sends them over one SMTP connection, and marks each accepted mail
 * {@code SENT} and adds its event to the messaging outbox; a mail the server could not take stays
 * pending and is retried after a capped, doubling delay, unless the server refused the mail for
 * good (an SMTP 5xx reply to its {@code RCPT TO}, such as 550 for an unknown mailbox, or to its
 * content, such as 554 for a message taken for spam): that mail is {@code REJECTED}, as a mail
 * server bounces it, and never sent. Delivery is at least once: a crash after the server accepted a
 * mail but before the commit sends it again, with the same Message-ID, so the resend is
 * recognisable. Each attempt is a {@code mail send} span in the trace the notification was recorded
 * in, so {@code NotificationSent} continues the order's trace.
 *
 * <p>The relay sleeps until a transaction that recorded a notification commits ({@link #wakeUp()}),
 * the next retry is due, or the poll interval has passed, whichever comes first.
 */
@Component
class MailRelay extends WakeableWorker {

  private static final Logger log = LoggerFactory.getLogger(MailRelay.class);

  /** The SMTP commands that carry the message itself: {@code .} ends its content. */
  private static final Set<String> MESSAGE_COMMANDS = Set.of("DATA", ".");

  /** Shortest sleep, so a relay whose due mails another relay holds does not spin. */
  private static final Duration MIN_PAUSE = Duration.ofMillis(50);

  private final NotificationRepository notifications;
  private final JavaMailSender mailSender;
  private final Outbox outbox;
  private final TransactionTemplate transactions;
  private final NotificationProperties properties;
  private final RetryPolicy retries;
  private final SagaTracing tracing;
  private final Counter sent;
  private final Counter failed;
  private final Counter rejected;

  MailRelay(
      NotificationRepository notifications,
      JavaMailSender mailSender,
      Outbox outbox,
      TransactionTemplate transactions,
      NotificationProperties properties,
      MeterRegistry meters,
      SagaTracing tracing) {
    super("Mail relay", "mail-relay", Duration.ofSeconds(30));
    this.tracing = tracing;
    this.notifications = notifications;
    this.mailSender = mailSender;
    this.outbox = outbox;
    this.transactions = transactions;
    this.properties = properties;
    this.retries = properties.retryPolicy();
    this.sent =
        Counter.builder("saga.mail.sent")
            .description("E-mails the mail server accepted")
            .register(meters);
    this.failed =
        Counter.builder("saga.mail.failed")
            .description("Attempts to send an e-mail that failed and will be retried")
            .register(meters);
    this.rejected =
        Counter.builder("saga.mail.rejected")
            .description("E-mails the mail server refused permanently (recipient or content)")
            .register(meters);
  }

  /**
   * Sends a batch; when it was not full, sleeps until the next retry is due. A failure is the
   * database's, not the mail server's: nothing was marked, the batch is taken again.
   */
  @Override
  protected Duration work() {
    int claimed = sendBatch();
    return claimed < properties.relayBatchSize() ? untilNextAttempt() : Duration.ZERO;
  }

  /**
   * Sends one batch of due mails in one transaction.
   *
   * @return how many mails were due and taken (sent, failed or rejected)
   */
  int sendBatch() {
    Integer claimed =
        transactions.execute(
            status -> {
              List<Notification> due =
                  notifications.claimDue(Instant.now(), properties.relayBatchSize());
              if (due.isEmpty()) {
                return 0;
              }
              Map<Notification, SagaTracing.TracedWork> spans = new IdentityHashMap<>();
              for (Notification notification : due) {
                spans.put(
                    notification,
                    tracing
                        .continueTrace("mail send", notification.traceParent())
                        .tag(SagaTracing.ORDER_ID_TAG, notification.orderId().toString())
                        .tag("saga.notification.outcome", notification.outcome().name()));
              }
              List<Exception> retried = new ArrayList<>();
              try {
                Map<Notification, Exception> failures = send(due);
                Instant now = Instant.now();
                for (Notification notification : due) {
                  Exception failure = failures.get(notification);
                  SagaTracing.TracedWork span = spans.get(notification);
                  if (failure == null) {
                    span.inScope(() -> notification.markSent(now).ifPresent(outbox::add));
                    sent.increment();
                  } else if (refusedForGood(failure)) {
                    span.error(failure);
                    notification.reject(reason(failure), now);
                    rejected.increment();
                    log.warn(
                        "The mail server refused the {} e-mail of order {} for good; it will not"
                            + " be sent: {}",
                        notification.outcome(),
                        notification.orderId(),
                        reason(failure));
                  } else {
                    span.error(failure);
                    notification.sendFailed(reason(failure), now, retries);
                    failed.increment();
                    retried.add(failure);
                  }
                }
              } finally {
                spans.values().forEach(SagaTracing.TracedWork::close);
              }
              if (!retried.isEmpty()) {
                log.warn(
                    "{} of {} e-mails could not be sent and will be retried: {}",
                    retried.size(),
                    due.size(),
                    reason(retried.getFirst()));
              }
              return due.size();
            });
    return claimed == null ? 0 : claimed;
  }

  /** Sends the mails over one connection; returns those that failed, with the reason. */
  private Map<Notification, Exception> send(List<Notification> due) {
    Map<Notification, Exception> failures = new HashMap<>();
    Map<MimeMessage, Notification> messages = new IdentityHashMap<>();
    for (Notification notification : due) {
      try {
        messages.put(compose(notification), notification);
      } catch (MessagingException | MailException e) {
        failures.put(notification, e);
      }
    }
    if (messages.isEmpty()) {
      return failures;
    }
    try {
      mailSender.send(messages.keySet().toArray(MimeMessage[]::new));
    } catch (MailSendException e) {
      // Lists each message that failed; empty when the failure was not about one message.
      Map<Object, Exception> failedMessages = e.getFailedMessages();
      if (failedMessages.isEmpty()) {
        messages.values().forEach(notification -> failures.put(notification, e));
      } else {
        failedMessages.forEach((message, cause) -> failures.put(messages.get(message), cause));
      }
    } catch (MailException e) {
      messages.values().forEach(notification -> failures.put(notification, e));
    }
    return failures;
  }

  private MimeMessage compose(Notification notification) throws MessagingException {
    MimeMessage message = mailSender.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
    helper.setFrom(properties.from());
    helper.setTo(notification.recipient());
    helper.setSubject(notification.subject());
    helper.setText(notification.body());
    // JavaMailSender keeps an explicit Message-ID when it saves the message before sending.
    message.setHeader("Message-ID", notification.messageId());
    return message;
  }

  /**
   * Whether the server refused this mail for good, so that sending it again cannot succeed: a 5xx
   * reply to its recipient (Jakarta Mail lists an address as invalid when the server answered its
   * {@code RCPT TO} with one; a mail has one recipient) or to its content ({@code DATA}, or the end
   * of the message: refused as spam, or too large). A 4xx reply, such as 450 for a busy mailbox, is
   * tried again; so is a 5xx reply to {@code MAIL FROM} or to the connection, which refuses every
   * mail alike: a configuration to fix, not a mail to drop.
   */
  private static boolean refusedForGood(Exception failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SMTPSendFailedException refused
          && refused.getReturnCode() / 100 == 5
          && MESSAGE_COMMANDS.contains(refused.getCommand())) {
        return true;
      }
      if (cause instanceof SendFailedException refused
          && refused.getInvalidAddresses() != null
          && refused.getInvalidAddresses().length > 0) {
        return true;
      }
    }
    return false;
  }

  private static String reason(Exception failure) {
    Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** Until the earliest retry is due, but at most the poll interval. */
  private Duration untilNextAttempt() {
    Duration poll = properties.relayPollInterval();
    return notifications
        .earliestAttemptAt(Status.PENDING)
        .map(at -> Duration.between(Instant.now(), at))
        .map(wait -> wait.compareTo(MIN_PAUSE) < 0 ? MIN_PAUSE : wait)
        .filter(wait -> wait.compareTo(poll) < 0)
        .orElse(poll);
  }

  /** Starts after and stops before the outbox relay that publishes the events it adds. */
  @Override
  public int getPhase() {
    return 1;
  }
}
