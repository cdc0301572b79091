package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderPlaced;
import dev.saga.events.Topics;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ContainerProperties;

@ServiceTest
class IdempotentConsumerTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry meters;
  @Autowired KafkaListenerEndpointRegistry listeners;
  @Autowired ListenerDelay listenerDelay;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void appliesAnEventDeliveredTwiceOnce() {
    OrderPlaced placed = SampleEvents.orderPlaced("C-twice");
    ProducerRecord<String, byte[]> record = EventRecords.of(placed, UUID.randomUUID(), "/test");

    kafka.send(record);
    kafka.send(record);
    awaitConsumed(sendMarker(placed.orderId()));

    assertThat(effects(placed.orderId())).isEqualTo(1);
    assertThat(
            kafka.readAll(Topics.INVENTORY).stream().filter(r -> placed.subject().equals(r.key())))
        .as("one reservation answered, not two")
        .hasSize(1);
  }

  @Test
  void consumesAnEventItsListenerIgnoresWithoutADedupRow() {
    UUID orderId = UUID.randomUUID();
    UUID eventId = UUID.randomUUID();
    double ignoredBefore = ignored();

    // RecordingListener acts on OrderPlaced only; OrderConfirmed reaches its default handler.
    awaitConsumed(
        kafka.send(
            EventRecords.of(
                new OrderConfirmed(orderId, "C-1", new BigDecimal("1.00"), "EUR"),
                eventId,
                "/test")));

    assertThat(
            jdbc.sql("select count(*) from processed_events where event_id = ?")
                .param(eventId)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(ignored()).isEqualTo(ignoredBefore + 1);
  }

  @Test
  void commitsOffsetsOnceASecondOrEveryHundredRecordsRatherThanAfterEveryPoll() {
    assertThat(listeners.getListenerContainers())
        .isNotEmpty()
        .allSatisfy(
            container -> {
              ContainerProperties properties = container.getContainerProperties();
              assertThat(properties.getAckMode()).isEqualTo(ContainerProperties.AckMode.COUNT_TIME);
              assertThat(properties.getAckCount()).isEqualTo(100);
              assertThat(properties.getAckTime()).isEqualTo(1_000);
              assertThat(properties.getPollTimeout()).isEqualTo(1_000);
            });
  }

  @Test
  void retriesATransientFailureAndKeepsOnlyTheSuccessfulAttemptsEffect() {
    OrderPlaced placed = SampleEvents.orderPlaced("flaky-1");

    kafka.send(EventRecords.of(placed, UUID.randomUUID(), "/test"));

    kafka.await(Topics.INVENTORY, r -> placed.subject().equals(r.key()), 1, WAIT);
    assertThat(effects(placed.orderId())).isEqualTo(1);
    assertThat(deadLettered(placed.subject())).isEmpty();
  }

  @Test
  void deadLettersARejectedEventAndKeepsItsPartitionFlowing() {
    UUID orderId = UUID.randomUUID();
    kafka.send(
        EventRecords.of(SampleEvents.orderPlaced(orderId, "rejected"), UUID.randomUUID(), "/test"));
    OrderPlaced next = SampleEvents.orderPlaced(orderId, "C-next");
    kafka.send(EventRecords.of(next, UUID.randomUUID(), "/test"));

    kafka.await(Topics.INVENTORY, r -> next.subject().equals(r.key()), 1, WAIT);
    ConsumerRecord<String, byte[]> dead =
        kafka
            .await(Topics.deadLetter(Topics.ORDERS), r -> next.subject().equals(r.key()), 1, WAIT)
            .getFirst();

    assertThat(header(dead, "saga_dlt-cause")).isEqualTo(RejectedEventException.class.getName());
    assertThat(header(dead, "saga_dlt-reason")).endsWith("cannot be placed here");
    assertThat(header(dead, "ce_type")).isEqualTo("OrderPlaced");
    assertThat(EventRecords.read(Topics.ORDERS, dead.headers(), dead.value()))
        .isEqualTo(SampleEvents.orderPlaced(orderId, "rejected"));
  }

  static Stream<Arguments> poison() {
    UUID orderId = UUID.randomUUID();
    String validJson =
        new String(
            EventRecords.of(SampleEvents.orderPlaced(orderId, "C-1"), UUID.randomUUID(), "/t")
                .value(),
            StandardCharsets.UTF_8);
    return Stream.of(
        Arguments.of("invalid JSON", "OrderPlaced", "{\"orderId\": ", true),
        Arguments.of("an unknown type", "OrderShipped", validJson, true),
        Arguments.of(
            "a payload its schema rejects",
            "OrderPlaced",
            "{\"orderId\":\"" + orderId + "\"}",
            true),
        Arguments.of("no CloudEvents headers", "OrderPlaced", validJson, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poison")
  void deadLettersAnUnreadableRecordAndKeepsItsPartitionFlowing(
      String poison, String type, String payload, boolean cloudEvent) {
    OrderPlaced next = SampleEvents.orderPlaced("C-after-poison");
    ProducerRecord<String, byte[]> bad =
        new ProducerRecord<>(
            Topics.ORDERS, next.subject(), payload.getBytes(StandardCharsets.UTF_8));
    if (cloudEvent) {
      EventRecords.of(next, UUID.randomUUID(), "/test").headers().forEach(bad.headers()::add);
      bad.headers().remove("ce_type");
      bad.headers().add(new RecordHeader("ce_type", type.getBytes(StandardCharsets.UTF_8)));
    }

    kafka.send(bad);
    kafka.send(EventRecords.of(next, UUID.randomUUID(), "/test"));

    kafka.await(Topics.INVENTORY, r -> next.subject().equals(r.key()), 1, WAIT);
    ConsumerRecord<String, byte[]> dead = deadLettered(next.subject()).findFirst().orElseThrow();
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(payload);
    assertThat(header(dead, "saga_dlt-cause")).isNotBlank();
    assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDERS);
    assertThat(effects(next.orderId())).isEqualTo(1);
  }

  @Test
  void deadLettersAnEventPublishedUnderAnotherKeyThanItsSubject() {
    OrderPlaced misplaced = SampleEvents.orderPlaced("C-misplaced");
    ProducerRecord<String, byte[]> valid = EventRecords.of(misplaced, UUID.randomUUID(), "/test");
    String otherKey = UUID.randomUUID().toString();

    kafka.send(new ProducerRecord<>(Topics.ORDERS, null, otherKey, valid.value(), valid.headers()));

    ConsumerRecord<String, byte[]> dead =
        kafka
            .await(Topics.deadLetter(Topics.ORDERS), r -> otherKey.equals(r.key()), 1, WAIT)
            .getFirst();
    assertThat(header(dead, "saga_dlt-cause")).isEqualTo(InvalidEventException.class.getName());
    assertThat(header(dead, "saga_dlt-reason")).contains("is not the subject of its event");
    assertThat(effects(misplaced.orderId())).isZero();
  }

  @Test
  void readsHowLongAgoTheRecordItsListenerIsApplyingWasPublishedAndZeroOnceItIsDone() {
    OrderPlaced placed = SampleEvents.orderPlaced("held-1");
    long publishedAt = System.currentTimeMillis() - 5_000;
    kafka.send(publishedAt(EventRecords.of(placed, UUID.randomUUID(), "/test"), publishedAt));

    RecordingListener.awaitEntered("held-1");
    try {
      Duration behind = listenerDelay.current();
      assertThat(behind).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(5).plus(WAIT));
      assertThat(meters.get("saga.consumer.delay").timeGauge().value(TimeUnit.MILLISECONDS))
          .isGreaterThanOrEqualTo(5_000);
    } finally {
      RecordingListener.release("held-1");
    }

    awaitConsumed(sendMarker(placed.orderId()));
    assertThat(effects(placed.orderId())).isEqualTo(1);
    assertThat(listenerDelay.current()).isZero();
  }

  @Test
  void aRecordThatFailedLeavesNoDelayBehind() {
    OrderPlaced rejected = SampleEvents.orderPlaced(UUID.randomUUID(), "rejected");
    long anHourAgo = System.currentTimeMillis() - 3_600_000;

    kafka.send(publishedAt(EventRecords.of(rejected, UUID.randomUUID(), "/test"), anHourAgo));

    kafka.await(Topics.deadLetter(Topics.ORDERS), r -> rejected.subject().equals(r.key()), 1, WAIT);
    // Nothing is sent after it: were the failed record still counted, it would read an hour.
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerDelay.current().isZero());
  }

  private static ProducerRecord<String, byte[]> publishedAt(
      ProducerRecord<String, byte[]> record, long timestamp) {
    return new ProducerRecord<>(
        record.topic(), null, timestamp, record.key(), record.value(), record.headers());
  }

  /** An event the listener ignores, on the order's partition behind what was sent before. */
  private RecordMetadata sendMarker(UUID orderId) {
    return kafka.send(
        EventRecords.of(
            new OrderConfirmed(orderId, "C-1", new BigDecimal("1.00"), "EUR"),
            UUID.randomUUID(),
            "/test"));
  }

  private void awaitConsumed(RecordMetadata sent) {
    kafka.awaitConsumed("messaging-test", sent, WAIT);
  }

  private double ignored() {
    Timer timer =
        meters
            .find("saga.consumer.processing")
            .tag("outcome", "ignored")
            .tag("type", "OrderConfirmed")
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private long effects(UUID orderId) {
    return jdbc.sql("select count(*) from effects where order_id = ?")
        .param(orderId)
        .query(Long.class)
        .single();
  }

  private Stream<ConsumerRecord<String, byte[]>> deadLettered(String key) {
    if (kafka.readAll(Topics.deadLetter(Topics.ORDERS)).stream()
        .noneMatch(r -> key.equals(r.key()))) {
      return Stream.empty();
    }
    return kafka.readAll(Topics.deadLetter(Topics.ORDERS)).stream()
        .filter(r -> key.equals(r.key()));
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
