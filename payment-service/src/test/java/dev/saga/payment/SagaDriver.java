package dev.saga.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import dev.saga.messaging.EventRecords;
import dev.saga.test.KafkaProbe;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Plays the other services of the saga: puts their events on the topics exactly as their relays
 * would, and reads what the payment service publishes in answer.
 */
public final class SagaDriver implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SOURCE = "/saga-driver";
  private static final String CONSUMER = "payment-service";

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private final Map<UUID, RecordMetadata> sent = new ConcurrentHashMap<>();
  private final JdbcClient jdbc;

  public SagaDriver(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public static InventoryUpdated reserved(UUID orderId, String customerId, String totalAmount) {
    return InventoryUpdated.reserved(orderId, customerId, new BigDecimal(totalAmount), "EUR");
  }

  public static CancelOrder cancel(UUID orderId, String customerId) {
    return new CancelOrder(orderId, customerId, CancelOrder.Reason.TIMEOUT);
  }

  /** The record the producing service's relay would publish for {@code event}, with a new id. */
  public static ProducerRecord<String, byte[]> record(SagaEvent event) {
    return EventRecords.of(event, UUID.randomUUID(), SOURCE);
  }

  /** Publishes {@code event} with a new event id and returns that id. */
  public UUID send(SagaEvent event) {
    ProducerRecord<String, byte[]> record = record(event);
    send(record);
    return eventId(record);
  }

  public void send(ProducerRecord<String, byte[]> record) {
    sent.put(eventId(record), kafka.send(record));
  }

  /** Publishes {@code event} and waits until the payment service is done with it. */
  public void sendAndAwait(SagaEvent event) {
    awaitConsumed(send(event));
  }

  /**
   * Waits until the payment service is done with the event with this id (the last record sent with
   * it): applied it, skipped it as a duplicate, or ignored it.
   */
  private void awaitConsumed(UUID eventId) {
    kafka.awaitConsumed(CONSUMER, sent.get(eventId), WAIT);
  }

  /**
   * Waits until the payment service is done with the event with this id and published everything it
   * decided until then, so that what {@link #published} shows is final.
   */
  public void awaitQuietAfter(UUID eventId) {
    awaitConsumed(eventId);
    await()
        .atMost(WAIT)
        .until(() -> jdbc.sql("select count(*) from outbox").query(Long.class).single() == 0);
  }

  /** Waits until the payment service published {@code count} events for the order. */
  public List<PaymentProcessed> awaitPublished(UUID orderId, int count) {
    return decode(
        kafka.await(
            Topics.PAYMENTS, record -> orderId.toString().equals(record.key()), count, WAIT));
  }

  /** Waits until the payment service published {@code count} events for these orders. */
  public List<PaymentProcessed> awaitPublished(Collection<UUID> orderIds, int count) {
    Set<String> keys = orderIds.stream().map(UUID::toString).collect(Collectors.toSet());
    return decode(kafka.await(Topics.PAYMENTS, record -> keys.contains(record.key()), count, WAIT));
  }

  /** Everything the payment service published for the order so far, in order. */
  public List<PaymentProcessed> published(UUID orderId) {
    return decode(
        kafka.readAll(Topics.PAYMENTS).stream()
            .filter(record -> orderId.toString().equals(record.key()))
            .toList());
  }

  /** Records of {@code topic} with this key, e.g. on a dead-letter topic. */
  public List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, UUID key, int count) {
    return kafka.await(topic, record -> key.toString().equals(record.key()), count, WAIT);
  }

  public static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  public static UUID eventId(ProducerRecord<String, byte[]> record) {
    return UUID.fromString(
        new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
  }

  /**
   * Reads each record as the order service will: a CloudEvent of type PaymentProcessed from this
   * service, whose payload its schema accepts (decoding validates it).
   */
  private static List<PaymentProcessed> decode(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream()
        .map(
            record -> {
              assertThat(header(record, "ce_type")).isEqualTo("PaymentProcessed");
              assertThat(header(record, "ce_source")).isEqualTo("/payment-service");
              assertThat(header(record, "ce_dataschema")).isEqualTo("urn:saga:PaymentProcessed:v1");
              return (PaymentProcessed)
                  EventRecords.read(record.topic(), record.headers(), record.value());
            })
        .toList();
  }

  @Override
  public void close() {
    kafka.close();
  }
}
