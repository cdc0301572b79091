package dev.saga.order;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The system-wide saga settings this service reads, under {@code saga}.
 *
 * @param currency the one currency orders are priced and charged in
 */
@ConfigurationProperties("saga")
public record SagaProperties(@DefaultValue("EUR") String currency) {}
