package dev.saga.notification;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * A GreenMail SMTP server that answers {@code RCPT TO} for chosen addresses with a chosen reply, as
 * a real mail server answers for a mailbox that does not exist (550) or is busy (450), or answers
 * the end of a message to them, as a server refuses a message taken for spam (554). GreenMail
 * itself accepts every recipient and message; its {@link SmtpManager#checkRecipient} and {@link
 * SmtpManager#checkData} are the hooks for this.
 */
final class RefusingMailServer implements AutoCloseable {

  private final Map<String, String> replies = new ConcurrentHashMap<>();
  private final Map<String, String> messageReplies = new ConcurrentHashMap<>();
  private final AtomicReference<String> senderReply = new AtomicReference<>();
  private final GreenMail server;

  RefusingMailServer() {
    server =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()) {
          @Override
          protected Map<String, AbstractServer> createServices(
              ServerSetup[] config, Managers ignored) {
            managers = new RefusingManagers(replies, messageReplies, senderReply);
            return super.createServices(config, managers);
          }
        };
    server.start();
  }

  /** Answers {@code RCPT TO:<address>} with {@code reply}, e.g. {@code 550 5.1.1 User unknown}. */
  RefusingMailServer refuse(String address, String reply) {
    replies.put(address, reply);
    return this;
  }

  /**
   * Answers every {@code MAIL FROM} with {@code reply}, as a server that does not take our sender.
   */
  RefusingMailServer refuseSender(String reply) {
    senderReply.set(reply);
    return this;
  }

  /** Answers the end of a message to {@code address} ({@code .}) with {@code reply}. */
  RefusingMailServer refuseMessagesTo(String address, String reply) {
    messageReplies.put(address, reply);
    return this;
  }

  /** A mail sender that talks to this server. */
  JavaMailSender sender() {
    JavaMailSenderImpl sender = new JavaMailSenderImpl();
    sender.setHost("127.0.0.1");
    sender.setPort(server.getSmtp().getPort());
    return sender;
  }

  /** How many mails the server accepted. */
  int received() {
    return server.getReceivedMessages().length;
  }

  @Override
  public void close() {
    server.stop();
  }

  private static final class RefusingManagers extends Managers {

    private final SmtpManager smtp;

    RefusingManagers(
        Map<String, String> replies,
        Map<String, String> messageReplies,
        AtomicReference<String> senderReply) {
      smtp =
          new SmtpManager(getImapHostManager(), getUserManager()) {
            @Override
            public String checkSender(SmtpState state, MailAddress sender) {
              return senderReply.get();
            }

            @Override
            public String checkRecipient(SmtpState state, MailAddress address) {
              return replies.get(address.getEmail());
            }

            @Override
            public String checkData(SmtpState state) {
              return state.getMessage().getToAddresses().stream()
                  .map(to -> messageReplies.get(to.getEmail()))
                  .filter(Objects::nonNull)
                  .findFirst()
                  .orElse(null);
            }
          };
    }

    @Override
    public SmtpManager getSmtpManager() {
      return smtp;
    }
  }
}
