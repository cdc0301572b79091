package dev.saga.notification;

import dev.saga.test.TestMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/**
 * What the test SMTP server received. It is shared by every test in the JVM, so mails are found by
 * their Message-ID, never counted in total.
 */
final class Mailbox {

  private Mailbox() {}

  /** Every mail received with Message-ID {@code messageId}, in the order received. */
  static List<MimeMessage> withMessageId(String messageId) {
    return Arrays.stream(TestMail.server().getReceivedMessages())
        .filter(message -> messageId.equals(messageId(message)))
        .toList();
  }

  private static String messageId(MimeMessage message) {
    try {
      return message.getMessageID();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
