package dev.saga.messaging;

import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.GenericMessageListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.KafkaUtils;

/**
 * The records this service's consumer groups dead-lettered, read back from the {@code <topic>.DLT}
 * topics, and their replay through the listener that failed them.
 *
 * <p>A replay runs the listener method as its container would, inside the idempotent consumer's
 * transaction: an event applied before is skipped as a duplicate, so replaying a record twice, or
 * one that was delivered again meanwhile, changes nothing. A record that still cannot be read or
 * applied stays dead-lettered. Every replay and its outcome is recorded in {@code
 * dead_letter_replays}.
 */
public class DeadLetters {

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
  private static final int MAX_VALUE_CHARS = 4_096;

  private final KafkaListenerEndpointRegistry listeners;
  private final Map<String, Object> consumerConfig;
  private final JdbcClient jdbc;
  private final IdempotentConsumer idempotentConsumer;
  private final MeterRegistry meters;

  DeadLetters(
      KafkaListenerEndpointRegistry listeners,
      Map<String, Object> consumerConfig,
      JdbcClient jdbc,
      IdempotentConsumer idempotentConsumer,
      MeterRegistry meters) {
    this.listeners = listeners;
    this.consumerConfig = deadLetterReader(consumerConfig);
    this.jdbc = jdbc;
    this.idempotentConsumer = idempotentConsumer;
    this.meters = meters;
  }

  /** What a replay did. */
  public enum Outcome {
    /** The listener applied the event. */
    APPLIED,
    /** The event had been applied before; nothing changed. */
    DUPLICATE,
    /** The record still cannot be read or applied; it stays dead-lettered. */
    FAILED
  }

  /**
   * One dead-lettered record.
   *
   * @param topic the dead-letter topic, e.g. {@code orders.DLT}
   * @param consumerGroup the group whose listener failed the record
   * @param cause class of the exception that made it fail
   * @param reason message of that exception
   * @param value the record's value as text (cut at 4,096 characters)
   * @param lastReplay the latest replay of the record, if any
   */
  public record DeadLetter(
      String topic,
      int partition,
      long offset,
      Instant deadLetteredAt,
      String consumerGroup,
      String originalTopic,
      Integer originalPartition,
      Long originalOffset,
      String key,
      String eventId,
      String eventType,
      String cause,
      String reason,
      String value,
      Replay lastReplay) {}

  /** One replay of a dead-lettered record, as recorded. */
  public record Replay(
      String topic,
      int partition,
      long offset,
      String consumerGroup,
      String eventId,
      Outcome outcome,
      String detail,
      Instant at) {}

  /** Every record this service's consumer groups dead-lettered, oldest first per partition. */
  public List<DeadLetter> list() {
    Map<String, Set<String>> groups = groupsByTopic();
    Map<String, Replay> replays = lastReplays(groups);
    return readAll(deadLetterTopics(groups)).stream()
        .filter(record -> isOurs(record, groups))
        .map(record -> describe(record, replays.get(key(record))))
        .toList();
  }

  /** One record of a dead-letter topic, if this service's consumer groups dead-lettered it. */
  public Optional<DeadLetter> find(String topic, int partition, long offset) {
    Map<String, Set<String>> groups = groupsByTopic();
    return readOne(topic, partition, offset)
        .filter(record -> isOurs(record, groups))
        .map(record -> describe(record, lastReplays(groups).get(key(record))));
  }

  /**
   * Replays one dead-lettered record through the listener that failed it.
   *
   * @return what the replay did; empty if this service did not dead-letter such a record
   */
  public Optional<Replay> replay(String topic, int partition, long offset) {
    Map<String, Set<String>> groups = groupsByTopic();
    return readOne(topic, partition, offset)
        .filter(record -> isOurs(record, groups))
        .map(this::replay);
  }

  /**
   * Replays, oldest first per partition, every dead-lettered record of this service that no replay
   * has applied yet (never replayed, or failed before).
   */
  public List<Replay> replayAll() {
    Map<String, Set<String>> groups = groupsByTopic();
    Map<String, Replay> replays = lastReplays(groups);
    return readAll(deadLetterTopics(groups)).stream()
        .filter(record -> isOurs(record, groups))
        .filter(
            record -> {
              Replay last = replays.get(key(record));
              return last == null || last.outcome() == Outcome.FAILED;
            })
        .map(this::replay)
        .toList();
  }

  private Replay replay(ConsumerRecord<String, byte[]> dead) {
    DeadLetter letter = describe(dead, null);
    Outcome outcome;
    String detail = null;
    try {
      apply(dead, letter);
      outcome = IdempotentConsumer.skippedDuplicate() ? Outcome.DUPLICATE : Outcome.APPLIED;
    } catch (RuntimeException e) {
      Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
      outcome = Outcome.FAILED;
      detail = cause.getClass().getName() + ": " + cause.getMessage();
    }
    Instant at =
        jdbc.sql(
                """
                insert into dead_letter_replays
                  (consumer, dlt_topic, dlt_partition, dlt_offset, event_id, outcome, detail)
                values (?, ?, ?, ?, ?, ?, ?)
                returning replayed_at
                """)
            .params(
                letter.consumerGroup(),
                dead.topic(),
                dead.partition(),
                dead.offset(),
                letter.eventId() == null ? null : UUID.fromString(letter.eventId()),
                outcome.name(),
                detail)
            .query(OffsetDateTime.class)
            .single()
            .toInstant();
    meters
        .counter(
            "saga.deadletter.replayed", "topic", letter.originalTopic(), "outcome", outcome.name())
        .increment();
    log.info(
        "Replayed dead letter {}-{}@{} ({} of {}): {}{}",
        dead.topic(),
        dead.partition(),
        dead.offset(),
        letter.eventType(),
        letter.consumerGroup(),
        outcome,
        detail == null ? "" : " " + detail);
    return new Replay(
        dead.topic(),
        dead.partition(),
        dead.offset(),
        letter.consumerGroup(),
        letter.eventId(),
        outcome,
        detail,
        at);
  }

  /** Runs the record through the listener of its group and topic, as the container would. */
  private void apply(ConsumerRecord<String, byte[]> dead, DeadLetter letter) {
    MessageListenerContainer container = container(letter.consumerGroup(), letter.originalTopic());
    Headers headers = new RecordHeaders();
    for (Header header : dead.headers()) {
      if (!header.key().startsWith(KafkaHeaders.PREFIX + "dlt-")
          && !header.key().startsWith("saga_dlt-")) {
        headers.add(header);
      }
    }
    SagaEvent event = EventRecords.read(letter.originalTopic(), headers, dead.value());
    ConsumerRecord<Object, Object> record =
        new ConsumerRecord<>(
            letter.originalTopic(),
            letter.originalPartition() == null ? dead.partition() : letter.originalPartition(),
            letter.originalOffset() == null ? -1 : letter.originalOffset(),
            dead.timestamp(),
            TimestampType.CREATE_TIME,
            -1,
            -1,
            dead.key(),
            event,
            headers,
            Optional.empty());
    @SuppressWarnings("unchecked")
    GenericMessageListener<ConsumerRecord<Object, Object>> listener =
        (GenericMessageListener<ConsumerRecord<Object, Object>>)
            container.getContainerProperties().getMessageListener();
    KafkaUtils.setConsumerGroupId(letter.consumerGroup());
    idempotentConsumer.intercept(record, null);
    try {
      listener.onMessage(record, null, null);
    } finally {
      idempotentConsumer.afterRecord(record, null);
      KafkaUtils.clearConsumerGroupId();
    }
  }

  private MessageListenerContainer container(String group, String topic) {
    for (MessageListenerContainer container : listeners.getListenerContainers()) {
      String[] topics = container.getContainerProperties().getTopics();
      if (group.equals(container.getGroupId())
          && topics != null
          && Arrays.asList(topics).contains(topic)) {
        return container;
      }
    }
    throw new IllegalStateException("No listener of group " + group + " consumes " + topic);
  }

  /** The consumer groups of this service's listeners, by the topic they consume. */
  private Map<String, Set<String>> groupsByTopic() {
    Map<String, Set<String>> groups = new HashMap<>();
    for (MessageListenerContainer container : listeners.getListenerContainers()) {
      String[] topics = container.getContainerProperties().getTopics();
      if (topics == null || container.getGroupId() == null) {
        continue;
      }
      for (String topic : topics) {
        groups.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(container.getGroupId());
      }
    }
    return groups;
  }

  private static Set<String> deadLetterTopics(Map<String, Set<String>> groups) {
    Set<String> topics = new LinkedHashSet<>();
    groups.keySet().stream().sorted().map(Topics::deadLetter).forEach(topics::add);
    return topics;
  }

  private static boolean isOurs(
      ConsumerRecord<String, byte[]> record, Map<String, Set<String>> groups) {
    String topic = text(record.headers(), KafkaHeaders.DLT_ORIGINAL_TOPIC);
    String group = text(record.headers(), KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP);
    return topic != null
        && group != null
        && record.topic().equals(Topics.deadLetter(topic))
        && groups.getOrDefault(topic, Set.of()).contains(group);
  }

  /** The latest replay of each record, by {@link #key}. */
  private Map<String, Replay> lastReplays(Map<String, Set<String>> groupsByTopic) {
    Set<String> groups = new LinkedHashSet<>();
    groupsByTopic.values().forEach(groups::addAll);
    Map<String, Replay> last = new HashMap<>();
    if (groups.isEmpty()) {
      return last;
    }
    jdbc.sql(
            """
            select distinct on (dlt_topic, dlt_partition, dlt_offset, consumer)
              consumer, dlt_topic, dlt_partition, dlt_offset, event_id, outcome, detail, replayed_at
            from dead_letter_replays
            where consumer = any(?)
            order by dlt_topic, dlt_partition, dlt_offset, consumer, replayed_at desc, id desc
            """)
        .param(groups.toArray(String[]::new))
        .query(
            (rs, row) ->
                new Replay(
                    rs.getString("dlt_topic"),
                    rs.getInt("dlt_partition"),
                    rs.getLong("dlt_offset"),
                    rs.getString("consumer"),
                    rs.getString("event_id"),
                    Outcome.valueOf(rs.getString("outcome")),
                    rs.getString("detail"),
                    rs.getObject("replayed_at", OffsetDateTime.class).toInstant()))
        .list()
        .forEach(
            replay ->
                last.put(
                    replay.topic() + "/" + replay.partition() + "/" + replay.offset(), replay));
    return last;
  }

  private static String key(ConsumerRecord<?, ?> record) {
    return record.topic() + "/" + record.partition() + "/" + record.offset();
  }

  private static DeadLetter describe(ConsumerRecord<String, byte[]> record, Replay lastReplay) {
    Headers headers = record.headers();
    String value =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    if (value != null && value.length() > MAX_VALUE_CHARS) {
      value = value.substring(0, MAX_VALUE_CHARS);
    }
    String eventId = text(headers, CloudEventRecords.ID_HEADER);
    Long originalPartition = number(headers, KafkaHeaders.DLT_ORIGINAL_PARTITION);
    return new DeadLetter(
        record.topic(),
        record.partition(),
        record.offset(),
        Instant.ofEpochMilli(record.timestamp()),
        text(headers, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP),
        text(headers, KafkaHeaders.DLT_ORIGINAL_TOPIC),
        originalPartition == null ? null : Math.toIntExact(originalPartition),
        number(headers, KafkaHeaders.DLT_ORIGINAL_OFFSET),
        record.key(),
        isUuid(eventId) ? eventId : null,
        text(headers, "ce_type"),
        text(headers, DeadLetterHeaders.CAUSE),
        text(headers, DeadLetterHeaders.REASON),
        value,
        lastReplay);
  }

  private List<ConsumerRecord<String, byte[]>> readAll(Set<String> topics) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic, READ_TIMEOUT).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .forEach(partitions::add);
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream()
          .anyMatch(partition -> consumer.position(partition, READ_TIMEOUT) < end.get(partition))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Timed out reading the dead-letter topics " + topics);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            records.add(record);
          }
        }
      }
      records.sort(
          Comparator.comparing((ConsumerRecord<String, byte[]> record) -> record.topic())
              .thenComparingInt(ConsumerRecord::partition)
              .thenComparingLong(ConsumerRecord::offset));
      return records;
    }
  }

  private Optional<ConsumerRecord<String, byte[]>> readOne(
      String topic, int partition, long offset) {
    if (!topic.endsWith(Topics.deadLetter(""))) {
      // Only dead-letter topics: this is no way to read the saga's own topics.
      return Optional.empty();
    }
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      if (consumer.partitionsFor(topic, READ_TIMEOUT).stream()
          .noneMatch(info -> info.partition() == partition)) {
        return Optional.empty();
      }
      TopicPartition topicPartition = new TopicPartition(topic, partition);
      consumer.assign(List.of(topicPartition));
      long end = consumer.endOffsets(List.of(topicPartition), READ_TIMEOUT).get(topicPartition);
      if (offset < 0 || offset >= end) {
        return Optional.empty();
      }
      consumer.seek(topicPartition, offset);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == offset) {
            return Optional.of(record);
          }
          if (record.offset() > offset) {
            // Compacted or deleted away.
            return Optional.empty();
          }
        }
      }
      throw new IllegalStateException(
          "Timed out reading " + topic + "-" + partition + "@" + offset);
    }
  }

  private KafkaConsumer<String, byte[]> consumer() {
    return new KafkaConsumer<>(
        consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The service's consumer settings (bootstrap, security) for a reader outside any group. */
  private static Map<String, Object> deadLetterReader(Map<String, Object> consumerConfig) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.remove(ConsumerConfig.CLIENT_ID_CONFIG);
    config.remove(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dead-letters-" + UUID.randomUUID());
    return config;
  }

  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** An int or long header as Spring Kafka writes them (big-endian), as a long. */
  private static Long number(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    if (header == null || header.value() == null) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(header.value());
    return switch (header.value().length) {
      case Integer.BYTES -> (long) buffer.getInt();
      case Long.BYTES -> buffer.getLong();
      default -> null;
    };
  }

  private static boolean isUuid(String value) {
    try {
      return value != null && UUID.fromString(value).toString().equals(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
