package dev.saga.order;

import static dev.saga.order.OrderApi.orderBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.ProductChanged;
import dev.saga.events.SagaEvent;
import dev.saga.messaging.EventRecords;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/orders/{orderId}/timeline}: every event of the order across the services, built
 * from what this service consumed and published, with each event's service, type, time and trace.
 */
@ServiceTest
class OrderTimelineTests {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final BigDecimal TOTAL = new BigDecimal("15.00");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private OrderApi api;
  private SagaProbe saga;
  private String customer;
  private UUID orderId;

  @BeforeEach
  void placeOrder() {
    api = new OrderApi(port);
    saga = new SagaProbe(kafka, api);
    ProductChanged product = TestCatalog.product("7.50");
    new TestCatalog(kafka, jdbc).publish(product);
    customer = "C-" + UUID.randomUUID();
    orderId = saga.place(orderBody(customer, product.productId(), 2));
  }

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void listsEveryEventOfTheSagaInOrderWithItsServiceTimeAndTrace() {
    List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
    sent.add(
        deliver(
            InventoryUpdated.reserved(orderId, customer, TOTAL, "EUR"),
            "/inventory-service",
            "InventoryUpdated.RESERVED"));
    String paymentTrace = "0af7651916cd43dd8448eb211c80319c";
    sent.add(
        deliver(
            payment(PaymentProcessed.Status.SUCCEEDED),
            "/payment-service",
            paymentTrace,
            "CONFIRMED"));
    sent.add(
        deliver(
            InventoryUpdated.committed(orderId),
            "/inventory-service",
            "InventoryUpdated.COMMITTED"));
    ProducerRecord<String, byte[]> notified =
        deliver(
            new NotificationSent(
                orderId,
                UUID.randomUUID(),
                NotificationSent.Outcome.CONFIRMED,
                customer + "@example.com",
                "<m@example.com>"),
            "/notification-service",
            "NotificationSent.CONFIRMED");
    kafka.send(notified); // a duplicate changes nothing
    sent.add(notified);
    await().atMost(WAIT).until(() -> api.get("/actuator/health/quiet").status() == 200);

    JsonNode timeline = api.get("/api/orders/" + orderId + "/timeline").body();

    assertThat(timeline.get("orderId").asString()).isEqualTo(orderId.toString());
    assertThat(timeline.get("status").asString()).isEqualTo("CONFIRMED");
    List<JsonNode> events = timeline.get("events").valueStream().toList();
    assertThat(events)
        .extracting(
            e ->
                e.get("service").asString()
                    + " "
                    + e.get("type").asString()
                    + " "
                    + e.path("detail").asString(""))
        .containsExactly(
            "order-service OrderPlaced ",
            "inventory-service InventoryUpdated RESERVED",
            "payment-service PaymentProcessed SUCCEEDED",
            "order-service OrderConfirmed ",
            "inventory-service InventoryUpdated COMMITTED",
            "notification-service NotificationSent CONFIRMED");
    assertThat(events.get(0).get("traceId").asString())
        .as("OrderPlaced is published in the trace of the request that placed the order")
        .isEqualTo(timeline.get("traceId").asString())
        .matches("[0-9a-f]{32}");
    assertThat(events.get(2).get("traceId").asString()).isEqualTo(paymentTrace);
    assertThat(events.get(3).get("traceId").asString())
        .as("the confirmation continues the trace of the payment it reacted to")
        .isEqualTo(paymentTrace);
    assertThat(events).allSatisfy(e -> assertThat(e.get("compensating").asBoolean()).isFalse());
    for (ProducerRecord<String, byte[]> record : sent) {
      String id = header(record, "ce_id");
      JsonNode event =
          events.stream()
              .filter(e -> e.get("eventId").asString().equals(id))
              .findFirst()
              .orElseThrow();
      // The database keeps microseconds; this test's clock has more.
      assertThat(OffsetDateTime.parse(event.get("time").asString()).toInstant())
          .isCloseTo(
              OffsetDateTime.parse(header(record, "ce_time")).toInstant(),
              within(1, ChronoUnit.MICROS));
      assertThat(event.get("source").asString()).isEqualTo(header(record, "ce_source"));
    }
  }

  @Test
  void marksTheCompensationOfACancelledOrder() {
    deliver(
        InventoryUpdated.reserved(orderId, customer, TOTAL, "EUR"),
        "/inventory-service",
        "InventoryUpdated.RESERVED");
    deliver(
        new PaymentProcessed(
            orderId,
            UUID.randomUUID(),
            customer,
            PaymentProcessed.Status.FAILED,
            TOTAL,
            "EUR",
            PaymentProcessed.Reason.INSUFFICIENT_FUNDS),
        "/payment-service",
        "CANCELLED");
    deliver(InventoryUpdated.released(orderId), "/inventory-service", "InventoryUpdated.RELEASED");

    JsonNode timeline = api.get("/api/orders/" + orderId + "/timeline").body();

    assertThat(timeline.get("cancellationReason").asString()).isEqualTo("PAYMENT_DECLINED");
    assertThat(timeline.get("events").valueStream())
        .extracting(
            e ->
                e.get("type").asString()
                    + " "
                    + e.path("detail").asString("")
                    + " "
                    + e.get("compensating").asBoolean())
        .containsExactly(
            "OrderPlaced  false",
            "InventoryUpdated RESERVED false",
            "PaymentProcessed FAILED INSUFFICIENT_FUNDS true",
            "CancelOrder PAYMENT_DECLINED true",
            "InventoryUpdated RELEASED true");
  }

  @Test
  void answersNotFoundForAnUnknownOrderAndBadRequestForAnInvalidId() {
    assertThat(api.get("/api/orders/" + UUID.randomUUID() + "/timeline").status()).isEqualTo(404);
    assertThat(api.get("/api/orders/not-a-uuid/timeline").status()).isEqualTo(400);
    assertThat(
            api.get("/v3/api-docs")
                .body()
                .at("/paths/~1api~1orders~1{orderId}~1timeline/get/responses")
                .propertyNames())
        .contains("200", "400", "404");
  }

  private ProducerRecord<String, byte[]> deliver(SagaEvent event, String source, String awaited) {
    return deliver(event, source, null, awaited);
  }

  /**
   * Sends the event as {@code source} would, in trace {@code traceId}, and waits for its effect.
   */
  private ProducerRecord<String, byte[]> deliver(
      SagaEvent event, String source, String traceId, String awaited) {
    ProducerRecord<String, byte[]> record = EventRecords.of(event, UUID.randomUUID(), source);
    if (traceId != null) {
      record
          .headers()
          .add(
              "traceparent",
              ("00-" + traceId + "-b7ad6b7169203331-01").getBytes(StandardCharsets.UTF_8));
    }
    kafka.send(record);
    saga.awaitHistory(orderId, awaited);
    await()
        .atMost(WAIT)
        .until(
            () ->
                api.get("/api/orders/" + orderId + "/timeline")
                    .body()
                    .get("events")
                    .valueStream()
                    .anyMatch(e -> e.get("eventId").asString().equals(header(record, "ce_id"))));
    return record;
  }

  private PaymentProcessed payment(PaymentProcessed.Status status) {
    return new PaymentProcessed(orderId, UUID.randomUUID(), customer, status, TOTAL, "EUR", null);
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
