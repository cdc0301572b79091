package dev.saga.order;

import static dev.saga.order.OrderApi.orderBody;
import static dev.saga.order.SagaProbe.historyNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.ProductChanged;
import dev.saga.events.Topics;
import dev.saga.messaging.EventRecords;
import dev.saga.messaging.RejectedEventException;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The order service's part of the saga, end to end: the events of inventory, payment and
 * notification go in over Kafka, the decision comes out on the {@code orders} topic, once.
 */
@ServiceTest
class OrderSagaTests {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final BigDecimal TOTAL = new BigDecimal("15.00");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired OrderProperties settings;

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
  void confirmsWhenThePaymentSucceedsAndRecordsTheWholeSaga() {
    saga.send(InventoryUpdated.reserved(orderId, customer, TOTAL, "EUR"));
    saga.awaitHistory(orderId, "InventoryUpdated.RESERVED");
    saga.send(payment(PaymentProcessed.Status.SUCCEEDED, null));
    saga.awaitHistory(orderId, "CONFIRMED");
    saga.send(InventoryUpdated.committed(orderId));
    saga.awaitHistory(orderId, "InventoryUpdated.COMMITTED");
    saga.send(notification(NotificationSent.Outcome.CONFIRMED));

    JsonNode order = saga.awaitHistory(orderId, "NotificationSent.CONFIRMED");

    assertThat(order.get("status").asString()).isEqualTo("CONFIRMED");
    assertThat(order.has("cancellationReason")).isFalse();
    assertThat(historyNames(order))
        .containsExactly(
            "PENDING",
            "InventoryUpdated.RESERVED",
            "PaymentProcessed.SUCCEEDED",
            "CONFIRMED",
            "InventoryUpdated.COMMITTED",
            "NotificationSent.CONFIRMED");
    assertThat(order.get("history").valueStream().map(entry -> entry.get("kind").asString()))
        .containsExactly("STATUS", "EVENT", "EVENT", "STATUS", "EVENT", "EVENT");
    assertThat(order.get("updatedAt").asString()).isEqualTo(order.at("/history/3/at").asString());
    assertThat(saga.outcomes(orderId))
        .containsExactly(new OrderConfirmed(orderId, customer, TOTAL, "EUR"));
  }

  @ParameterizedTest
  @EnumSource(InventoryUpdated.Reason.class)
  void cancelsOutOfStockWhenInventoryRejectsTheOrder(InventoryUpdated.Reason reason) {
    saga.send(InventoryUpdated.rejected(orderId, reason));

    JsonNode order = saga.awaitHistory(orderId, "CANCELLED");

    assertThat(order.path("cancellationReason").asString())
        .as(order.toString())
        .isEqualTo("OUT_OF_STOCK");
    assertThat(historyNames(order))
        .containsExactly("PENDING", "InventoryUpdated.REJECTED", "CANCELLED");
    assertThat(saga.outcomes(orderId))
        .containsExactly(new CancelOrder(orderId, customer, CancelOrder.Reason.OUT_OF_STOCK));
  }

  @ParameterizedTest
  @EnumSource(
      value = PaymentProcessed.Reason.class,
      names = {"INSUFFICIENT_FUNDS", "UNKNOWN_ACCOUNT"})
  void cancelsPaymentDeclinedWhenTheChargeFails(PaymentProcessed.Reason reason) {
    saga.send(InventoryUpdated.reserved(orderId, customer, TOTAL, "EUR"));
    saga.awaitHistory(orderId, "InventoryUpdated.RESERVED");
    saga.send(payment(PaymentProcessed.Status.FAILED, reason));

    JsonNode order = saga.awaitHistory(orderId, "CANCELLED");

    assertThat(order.path("cancellationReason").asString())
        .as(order.toString())
        .isEqualTo("PAYMENT_DECLINED");
    assertThat(historyNames(order))
        .containsExactly(
            "PENDING", "InventoryUpdated.RESERVED", "PaymentProcessed.FAILED", "CANCELLED");
    assertThat(saga.outcomes(orderId))
        .containsExactly(new CancelOrder(orderId, customer, CancelOrder.Reason.PAYMENT_DECLINED));
  }

  @Test
  void onlyRecordsTheCompensationsThatFollowACancellation() {
    assertThat(api.post("/api/orders/" + orderId + "/cancel").status()).isEqualTo(202);
    saga.send(InventoryUpdated.released(orderId));
    saga.awaitHistory(orderId, "InventoryUpdated.RELEASED");
    saga.send(payment(PaymentProcessed.Status.FAILED, PaymentProcessed.Reason.ORDER_CANCELLED));
    saga.awaitHistory(orderId, "PaymentProcessed.FAILED");
    saga.send(payment(PaymentProcessed.Status.REFUNDED, null));
    saga.awaitHistory(orderId, "PaymentProcessed.REFUNDED");
    saga.send(notification(NotificationSent.Outcome.CANCELLED));

    JsonNode order = saga.awaitHistory(orderId, "NotificationSent.CANCELLED");

    assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(order.path("cancellationReason").asString())
        .as(order.toString())
        .isEqualTo("CUSTOMER_CANCELLED");
    assertThat(historyNames(order))
        .containsExactly(
            "PENDING",
            "CANCELLED",
            "InventoryUpdated.RELEASED",
            "PaymentProcessed.FAILED",
            "PaymentProcessed.REFUNDED",
            "NotificationSent.CANCELLED");
    assertThat(saga.outcomes(orderId))
        .containsExactly(new CancelOrder(orderId, customer, CancelOrder.Reason.CUSTOMER_CANCELLED));
  }

  @Test
  void cancelsAnOrderWithoutAnOutcomeAtTheDeadlineAndIgnoresALateCharge() {
    JsonNode cancelled = saga.awaitHistory(orderId, "CANCELLED");

    assertThat(cancelled.get("cancellationReason").asString()).isEqualTo("TIMEOUT");
    assertThat(
            Duration.between(
                Instant.parse(cancelled.get("createdAt").asString()),
                Instant.parse(cancelled.get("updatedAt").asString())))
        .isGreaterThanOrEqualTo(settings.deadline());

    saga.send(payment(PaymentProcessed.Status.SUCCEEDED, null));
    JsonNode order = saga.awaitHistory(orderId, "PaymentProcessed.SUCCEEDED");

    assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(order.path("cancellationReason").asString())
        .as(order.toString())
        .isEqualTo("TIMEOUT");
    assertThat(order.get("updatedAt")).isEqualTo(cancelled.get("updatedAt"));
    assertThat(historyNames(order))
        .containsExactly("PENDING", "CANCELLED", "PaymentProcessed.SUCCEEDED");
    assertThat(saga.outcomes(orderId))
        .containsExactly(new CancelOrder(orderId, customer, CancelOrder.Reason.TIMEOUT));
  }

  @Test
  void appliesAnEventDeliveredTwiceOnce() {
    ProducerRecord<String, byte[]> rejected =
        EventRecords.of(
            InventoryUpdated.rejected(orderId, InventoryUpdated.Reason.OUT_OF_STOCK),
            UUID.randomUUID(),
            "/inventory-service");

    kafka.send(rejected);
    kafka.send(rejected);
    // Same topic and key, so consumed after both copies.
    saga.send(InventoryUpdated.released(orderId));

    JsonNode order = saga.awaitHistory(orderId, "InventoryUpdated.RELEASED");
    assertThat(historyNames(order))
        .containsExactly(
            "PENDING", "InventoryUpdated.REJECTED", "CANCELLED", "InventoryUpdated.RELEASED");
    assertThat(saga.outcomes(orderId))
        .containsExactly(new CancelOrder(orderId, customer, CancelOrder.Reason.OUT_OF_STOCK));
  }

  @Test
  void deadLettersAPoisonRecordAndKeepsThePartitionFlowing() {
    ProducerRecord<String, byte[]> poison =
        new ProducerRecord<>(
            Topics.PAYMENTS, orderId.toString(), "{\"orderId\": ".getBytes(StandardCharsets.UTF_8));
    EventRecords.of(payment(PaymentProcessed.Status.SUCCEEDED, null), UUID.randomUUID(), "/t")
        .headers()
        .forEach(poison.headers()::add);

    kafka.send(poison);
    saga.send(payment(PaymentProcessed.Status.SUCCEEDED, null));

    JsonNode order = saga.awaitHistory(orderId, "CONFIRMED");
    assertThat(historyNames(order))
        .containsExactly("PENDING", "PaymentProcessed.SUCCEEDED", "CONFIRMED");
    ConsumerRecord<String, byte[]> dead =
        kafka
            .await(
                Topics.deadLetter(Topics.PAYMENTS),
                record -> orderId.toString().equals(record.key()),
                1,
                WAIT)
            .getFirst();
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\": ");
  }

  @Test
  void deadLettersAnEventForAnOrderItDoesNotKnow() {
    UUID unknown = UUID.randomUUID();

    saga.send(
        new PaymentProcessed(
            unknown,
            UUID.randomUUID(),
            customer,
            PaymentProcessed.Status.SUCCEEDED,
            TOTAL,
            "EUR",
            null));

    ConsumerRecord<String, byte[]> dead =
        kafka
            .await(
                Topics.deadLetter(Topics.PAYMENTS),
                record -> unknown.toString().equals(record.key()),
                1,
                WAIT)
            .getFirst();
    assertThat(SagaProbe.header(dead, "saga_dlt-cause"))
        .isEqualTo(RejectedEventException.class.getName());
    assertThat(api.get("/api/orders/" + unknown).status()).isEqualTo(404);
  }

  private PaymentProcessed payment(PaymentProcessed.Status status, PaymentProcessed.Reason reason) {
    return new PaymentProcessed(orderId, UUID.randomUUID(), customer, status, TOTAL, "EUR", reason);
  }

  private NotificationSent notification(NotificationSent.Outcome outcome) {
    return new NotificationSent(
        orderId,
        UUID.randomUUID(),
        outcome,
        customer + "@example.com",
        "<" + orderId + "@example.com>");
  }
}
