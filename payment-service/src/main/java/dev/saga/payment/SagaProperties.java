package dev.saga.payment;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The system-wide saga settings this service reads, under {@code saga}.
 *
 * @param currency the one currency of every account, order and payment (ISO 4217 code)
 */
@ConfigurationProperties("saga")
@Validated
public record SagaProperties(@DefaultValue("EUR") @Pattern(regexp = "[A-Z]{3}") String currency) {}
