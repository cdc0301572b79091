package dev.saga.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.OrderEvent;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import dev.saga.messaging.EventRecords;
import dev.saga.test.KafkaProbe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;

/**
 * Plays the other services of the saga against the running order service: sends their events and
 * reads what the order service decided, over HTTP and on the {@code orders} topic.
 */
final class SagaProbe {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Set<String> OUTCOMES = Set.of("OrderConfirmed", "CancelOrder");

  private final KafkaProbe kafka;
  private final OrderApi api;

  SagaProbe(KafkaProbe kafka, OrderApi api) {
    this.kafka = kafka;
    this.api = api;
  }

  /** Places an order over HTTP; its id. */
  UUID place(String body) {
    OrderApi.Response placed = api.place(body);
    assertThat(placed.status()).as(placed.text()).isEqualTo(201);
    return UUID.fromString(placed.body().get("orderId").asString());
  }

  /** Sends {@code event} as its producer would; its event id. */
  UUID send(SagaEvent event) {
    UUID eventId = UUID.randomUUID();
    kafka.send(EventRecords.of(event, eventId, "/test"));
    return eventId;
  }

  /** Waits until the order, as {@code GET /api/orders/{id}} shows it, matches. */
  JsonNode awaitOrder(UUID orderId, Predicate<JsonNode> match) {
    AtomicReference<JsonNode> order = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              order.set(api.get("/api/orders/" + orderId).body());
              assertConsistent(order.get());
              return match.test(order.get());
            });
    return order.get();
  }

  /**
   * Every read of an order is one consistent state, even while a listener is changing it: the
   * status is the last status in the history, changed when {@code updatedAt} says, with a
   * cancellation reason if and only if it is cancelled.
   */
  static void assertConsistent(JsonNode order) {
    List<JsonNode> statusChanges =
        order
            .get("history")
            .valueStream()
            .filter(entry -> entry.get("kind").asString().equals("STATUS"))
            .toList();
    String status = order.get("status").asString();
    assertThat(statusChanges.getLast().get("name").asString())
        .as(order.toString())
        .isEqualTo(status);
    assertThat(statusChanges.getLast().get("at"))
        .as(order.toString())
        .isEqualTo(order.get("updatedAt"));
    assertThat(order.has("cancellationReason"))
        .as(order.toString())
        .isEqualTo(status.equals("CANCELLED"));
  }

  /** Waits until the order's history has an entry named {@code name}. */
  JsonNode awaitHistory(UUID orderId, String name) {
    return awaitOrder(orderId, order -> historyNames(order).contains(name));
  }

  static List<String> historyNames(JsonNode order) {
    return order.get("history").valueStream().map(entry -> entry.get("name").asString()).toList();
  }

  /**
   * Every outcome event ({@code OrderConfirmed}, {@code CancelOrder}) published for the order, once
   * the service is quiet: nothing left in its outbox to publish, nothing left to consume.
   */
  List<OrderEvent> outcomes(UUID orderId) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> api.get("/actuator/health/quiet").status() == 200);
    return kafka.readAll(Topics.ORDERS).stream()
        .filter(record -> record.key().equals(orderId.toString()))
        .filter(record -> OUTCOMES.contains(header(record, "ce_type")))
        .map(
            record ->
                (OrderEvent) EventRecords.read(Topics.ORDERS, record.headers(), record.value()))
        .toList();
  }

  static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
