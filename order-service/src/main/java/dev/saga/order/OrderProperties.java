package dev.saga.order;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the order service, under {@code saga.order}.
 *
 * @param deadline how long an order may stay {@code PENDING} before it is cancelled with reason
 *     {@code TIMEOUT}
 * @param deadlineCheckInterval how often overdue orders are looked for
 * @param idempotencyRetention how long an {@code Idempotency-Key} and its response are kept
 * @param stuckAfter how long an order may stay {@code PENDING} before the live page lists it as
 *     stuck
 * @param metricsRefreshInterval how often the gauges of orders by status and of overdue orders are
 *     read from the database
 * @param maxListenerDelay how far behind on the saga's events this service's listeners may be (see
 *     {@code ListenerDelay}) before new orders are refused with 429: an order placed then would
 *     wait at least that long for each of its steps, and under overload run into its deadline
 * @param maxPending how many orders may be {@code PENDING} at once, in all instances, before new
 *     orders are refused with 429: by Little's law it bounds an accepted order's saga to about this
 *     many orders divided by the rate at which orders are decided (BENCHMARKS.md, ninth round)
 */
@ConfigurationProperties("saga.order")
public record OrderProperties(
    @DefaultValue("30s") Duration deadline,
    @DefaultValue("1s") Duration deadlineCheckInterval,
    @DefaultValue("24h") Duration idempotencyRetention,
    @DefaultValue("10s") Duration stuckAfter,
    @DefaultValue("10s") Duration metricsRefreshInterval,
    @DefaultValue("2s") Duration maxListenerDelay,
    @DefaultValue("32") int maxPending) {}
