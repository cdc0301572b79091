package dev.saga.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the saga's events as they are published, from the end of the {@code orders}, {@code
 * inventory} and {@code payments} topics, without a consumer group (nothing the services see
 * changes): an order is terminal when its {@code OrderConfirmed} or {@code CancelOrder} arrives,
 * and the events' {@code ce_time} (when the deciding transaction wrote them) and record timestamps
 * (when the relay sent them) give the time of every hop without asking the API anything.
 */
final class SagaEventTap implements AutoCloseable {

  static final List<String> TOPICS = List.of("orders", "inventory", "payments");

  private final String bootstrapServers;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Map<String, Timeline> timelines = new ConcurrentHashMap<>();
  private final CountDownLatch positioned = new CountDownLatch(1);
  private final AtomicLong outcomes = new AtomicLong();
  private volatile boolean running = true;
  private volatile RuntimeException failure;
  private Thread thread;

  SagaEventTap(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** When one order's events were written and sent; null where not (yet) seen. */
  static final class Timeline {

    final CompletableFuture<Timeline> terminal = new CompletableFuture<>();
    volatile Instant placedAt;
    volatile Instant placedSentAt;
    volatile Instant reservedAt;
    volatile Instant reservedSentAt;
    volatile Instant chargedAt;
    volatile Instant chargedSentAt;
    volatile String outcome;
    volatile Instant outcomeAt;
    volatile Instant outcomeSentAt;
    volatile Instant outcomeSeenAt;

    /** {@code CONFIRMED} or {@code CANCELLED(<reason>)}; null while not terminal. */
    String outcome() {
      return outcome;
    }
  }

  /** Starts reading and returns once positioned at the end of every topic. */
  SagaEventTap start() {
    thread = Thread.ofPlatform().name("saga-event-tap").daemon().start(this::run);
    try {
      if (!positioned.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Could not read the saga topics at " + bootstrapServers);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure != null) {
      throw failure;
    }
    return this;
  }

  /** The timeline of an order, created empty when nothing of it was seen yet. */
  Timeline timeline(String orderId) {
    return timelines.computeIfAbsent(orderId, id -> new Timeline());
  }

  long outcomesSeen() {
    return outcomes.get();
  }

  private void run() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "load-generator-tap");
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : TOPICS) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(30))
            .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // position() resolves the lazy seek now, so nothing published after start() is missed.
      partitions.forEach(consumer::position);
      positioned.countDown();
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          read(record);
        }
      }
    } catch (RuntimeException e) {
      failure = e;
      positioned.countDown();
      if (running) {
        System.err.println("[load] the event tap failed: " + e);
      }
    }
  }

  private void read(ConsumerRecord<String, byte[]> record) {
    String type = header(record, "ce_type");
    String time = header(record, "ce_time");
    if (record.key() == null || type == null || time == null) {
      return;
    }
    Instant writtenAt = OffsetDateTime.parse(time).toInstant();
    Instant sentAt = Instant.ofEpochMilli(record.timestamp());
    switch (type) {
      case "OrderPlaced" -> {
        Timeline timeline = timeline(record.key());
        timeline.placedAt = writtenAt;
        timeline.placedSentAt = sentAt;
      }
      case "InventoryUpdated" -> {
        if ("RESERVED".equals(field(record, "status"))) {
          Timeline timeline = timeline(record.key());
          timeline.reservedAt = writtenAt;
          timeline.reservedSentAt = sentAt;
        }
      }
      case "PaymentProcessed" -> {
        if ("SUCCEEDED".equals(field(record, "status"))) {
          Timeline timeline = timeline(record.key());
          timeline.chargedAt = writtenAt;
          timeline.chargedSentAt = sentAt;
        }
      }
      case "OrderConfirmed" -> terminal(record.key(), "CONFIRMED", writtenAt, sentAt);
      case "CancelOrder" ->
          terminal(record.key(), "CANCELLED(" + field(record, "reason") + ")", writtenAt, sentAt);
      default -> {}
    }
  }

  private void terminal(String orderId, String outcome, Instant writtenAt, Instant sentAt) {
    Timeline timeline = timeline(orderId);
    // At least once: a relay that crashed before deleting its batch publishes it again.
    if (timeline.outcome != null) {
      return;
    }
    timeline.outcomeAt = writtenAt;
    timeline.outcomeSentAt = sentAt;
    timeline.outcomeSeenAt = Instant.now();
    timeline.outcome = outcome;
    outcomes.incrementAndGet();
    timeline.terminal.complete(timeline);
  }

  private String field(ConsumerRecord<String, byte[]> record, String name) {
    JsonNode payload = json.readTree(record.value());
    JsonNode value = payload.get(name);
    return value == null || value.isNull() ? null : value.asString();
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
