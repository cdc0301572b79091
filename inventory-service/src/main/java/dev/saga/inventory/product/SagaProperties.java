package dev.saga.inventory.product;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The system-wide settings this service reads, under {@code saga}.
 *
 * @param currency the one currency of the system (ISO 4217), in which prices are set
 */
@ConfigurationProperties("saga")
@Validated
record SagaProperties(@DefaultValue("EUR") @Pattern(regexp = "[A-Z]{3}") String currency) {}
