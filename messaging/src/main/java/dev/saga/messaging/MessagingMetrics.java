package dev.saga.messaging;

import dev.saga.events.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Gauges of the work a service has not done yet, read from the database and the broker every {@code
 * saga.messaging.metrics.refresh-interval} rather than on each scrape: unpublished outbox rows and
 * the age of the oldest, the lag of every consumer group on every partition it reads, and the
 * records waiting in the dead-letter topics of the topics it consumes.
 */
class MessagingMetrics implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MessagingMetrics.class);

  private final JdbcClient jdbc;
  private final KafkaListenerEndpointRegistry listeners;
  private final ConsumerLag consumerLag;
  private final Duration interval;
  private final MultiGauge lag;
  private final MultiGauge deadLetters;
  private volatile long pending;
  private volatile OffsetDateTime oldest;
  private ScheduledExecutorService executor;

  MessagingMetrics(
      JdbcClient jdbc,
      KafkaListenerEndpointRegistry listeners,
      ConsumerLag consumerLag,
      MeterRegistry meters,
      Duration interval) {
    this.jdbc = jdbc;
    this.listeners = listeners;
    this.consumerLag = consumerLag;
    this.interval = interval;
    Gauge.builder("saga.outbox.pending", this, metrics -> metrics.pending)
        .description("Events in the outbox that are not published yet")
        .register(meters);
    TimeGauge.builder(
            "saga.outbox.oldest.age", this, TimeUnit.SECONDS, MessagingMetrics::oldestAgeSeconds)
        .description("How long the oldest unpublished event has been waiting in the outbox")
        .register(meters);
    this.lag =
        MultiGauge.builder("saga.consumer.lag")
            .description(
                "Records a consumer group has not applied yet: end offset minus committed offset")
            .register(meters);
    this.deadLetters =
        MultiGauge.builder("saga.deadletter.records")
            .description("Records in the dead-letter topic of a topic this service consumes")
            .register(meters);
  }

  /** Reads every gauge's value once; a failed read keeps the previous values. */
  void refresh() {
    try {
      jdbc.sql("select count(*) as pending, min(created_at) as oldest from outbox")
          .query(
              (rs, row) -> {
                pending = rs.getLong("pending");
                oldest = rs.getObject("oldest", OffsetDateTime.class);
                return row;
              })
          .single();
    } catch (RuntimeException e) {
      log.debug("Cannot read the outbox for its metrics", e);
    }
    try {
      refreshConsumers();
    } catch (RuntimeException e) {
      log.debug("Cannot read consumer offsets for the lag metrics", e);
    }
  }

  private void refreshConsumers() {
    List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
    Set<String> consumed = new TreeSet<>();
    for (MessageListenerContainer container : listeners.getListenerContainers()) {
      String[] topics = container.getContainerProperties().getTopics();
      String group = container.getGroupId();
      if (topics == null || group == null) {
        continue;
      }
      consumed.addAll(Arrays.asList(topics));
      consumerLag
          .of(group, Arrays.asList(topics))
          .forEach(
              (partition, records) ->
                  lagRows.add(
                      MultiGauge.Row.of(
                          Tags.of(
                              "group",
                              group,
                              "topic",
                              partition.topic(),
                              "partition",
                              Integer.toString(partition.partition())),
                          records)));
    }
    lag.register(lagRows, true);
    List<String> deadLetterTopics = consumed.stream().map(Topics::deadLetter).toList();
    List<MultiGauge.Row<?>> deadLetterRows = new ArrayList<>();
    if (!deadLetterTopics.isEmpty()) {
      for (Map.Entry<String, Long> topic : consumerLag.records(deadLetterTopics).entrySet()) {
        deadLetterRows.add(MultiGauge.Row.of(Tags.of("topic", topic.getKey()), topic.getValue()));
      }
    }
    deadLetters.register(deadLetterRows, true);
  }

  private double oldestAgeSeconds() {
    OffsetDateTime at = oldest;
    return at == null
        ? 0
        : Math.max(0, Duration.between(at, OffsetDateTime.now()).toMillis()) / 1e3;
  }

  @Override
  public synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("messaging-metrics").daemon().factory());
    executor.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    executor.shutdownNow();
    executor = null;
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}
