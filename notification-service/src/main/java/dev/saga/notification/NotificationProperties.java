package dev.saga.notification;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the notification service, under {@code saga.notification}.
 *
 * @param mailDomain the domain of every recipient ({@code <customerId>@<mailDomain>}) and of every
 *     Message-ID
 * @param from the sender of every e-mail
 * @param relayPollInterval longest time the mail relay sleeps when no commit woke it and no retry
 *     is due: the fallback for mails of an instance that crashed after recording them
 * @param relayBatchSize most mails sent in one relay transaction (over one SMTP connection)
 * @param retryInitialInterval pause before the first retry of a mail that could not be sent
 * @param retryMaxInterval longest pause between retries; a mail is retried until it is sent
 */
@Validated
@ConfigurationProperties("saga.notification")
record NotificationProperties(
    @DefaultValue("example.com") @NotBlank String mailDomain,
    @DefaultValue("orders@example.com") @NotBlank String from,
    @DefaultValue("5s") @NotNull Duration relayPollInterval,
    @DefaultValue("20") @Positive int relayBatchSize,
    @DefaultValue("1s") @NotNull Duration retryInitialInterval,
    @DefaultValue("1m") @NotNull Duration retryMaxInterval) {

  RetryPolicy retryPolicy() {
    return new RetryPolicy(retryInitialInterval, retryMaxInterval);
  }
}
