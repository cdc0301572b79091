package dev.saga.notification;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * A GreenMail SMTP server that answers {@code RCPT TO} for chosen addresses with a chosen reply, as
 * a real mail server answers for a mailbox that does not exist (550) or is busy (450). GreenMail
 * itself accepts every recipient; its {@link SmtpManager#checkRecipient} is the hook for this.
 */
final class RefusingMailServer implements AutoCloseable {

  private final Map<String, String> replies = new ConcurrentHashMap<>();
  private final GreenMail server;

  RefusingMailServer() {
    server =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()) {
          @Override
          protected Map<String, AbstractServer> createServices(
              ServerSetup[] config, Managers ignored) {
            managers = new RefusingManagers(replies);
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

    RefusingManagers(Map<String, String> replies) {
      smtp =
          new SmtpManager(getImapHostManager(), getUserManager()) {
            @Override
            public String checkRecipient(SmtpState state, MailAddress address) {
              return replies.get(address.getEmail());
            }
          };
    }

    @Override
    public SmtpManager getSmtpManager() {
      return smtp;
    }
  }
}
