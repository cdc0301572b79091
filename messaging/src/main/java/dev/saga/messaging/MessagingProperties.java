package dev.saga.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the messaging plumbing, under {@code saga.messaging}.
 *
 * @param source the CloudEvents {@code source} of everything this service publishes (default:
 *     {@code /} and the application name)
 * @param outbox how the outbox relay publishes
 * @param consumer how events are consumed
 * @param topics how topics are created
 * @param metrics how the gauges of pending work are read
 * @param admin who may list and replay dead-lettered records
 */
@ConfigurationProperties("saga.messaging")
public record MessagingProperties(
    String source,
    @DefaultValue Outbox outbox,
    @DefaultValue Consumer consumer,
    @DefaultValue Topics topics,
    @DefaultValue Metrics metrics,
    @DefaultValue Admin admin) {

  /**
   * @param batchSize most rows published in one relay transaction
   * @param pollInterval how often the relay looks for rows when no commit woke it: the fallback for
   *     rows whose own instance's relay is gone; each look is a transaction (at 100 ms, the relays
   *     of an idle stack and their queries cost 40 ms of CPU per second more than at 1 s,
   *     BENCHMARKS.md, sixteenth round)
   * @param lingerMs the relay producer's {@code linger.ms}; 0 because the relay waits for each
   *     batch's acknowledgement anyway
   * @param shutdownDrain how long a stopping relay keeps publishing what is left before it lets the
   *     rows wait for the next start (or another instance)
   * @param haltAfterAcknowledgedBatches a test-only failpoint: after this many acknowledged
   *     batches, halt the JVM (as {@code kill -9} would) before the batch's rows are deleted; 0,
   *     the default, never
   */
  public record Outbox(
      @DefaultValue("500") int batchSize,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("0") int lingerMs,
      @DefaultValue("5s") Duration shutdownDrain,
      @DefaultValue("0") int haltAfterAcknowledgedBatches) {}

  /**
   * @param dedupRetention how long processed event ids are kept; at least the topics' retention
   * @param retryInitialInterval first pause before a failed record is retried
   * @param retryMaxInterval longest pause between retries; retries never stop for transient errors
   */
  public record Consumer(
      @DefaultValue("8d") Duration dedupRetention,
      @DefaultValue("200ms") Duration retryInitialInterval,
      @DefaultValue("10s") Duration retryMaxInterval) {}

  /**
   * @param create whether the service creates the topics it needs at startup (off where an
   *     operator, such as Strimzi, owns them)
   * @param replicationFactor replication factor of created topics
   * @param minInSyncReplicas {@code min.insync.replicas} of created topics
   */
  public record Topics(
      @DefaultValue("true") boolean create,
      @DefaultValue("1") short replicationFactor,
      @DefaultValue("1") int minInSyncReplicas) {}

  /**
   * @param refreshInterval how often the outbox, consumer lag and dead-letter gauges are read from
   *     the database and the broker
   */
  public record Metrics(@DefaultValue("10s") Duration refreshInterval) {}

  /**
   * @param token the bearer token that authorizes {@code /actuator/deadletters}; without one,
   *     dead-letter administration is refused
   */
  public record Admin(String token) {}
}
