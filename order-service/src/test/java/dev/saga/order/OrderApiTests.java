package dev.saga.order;

import static dev.saga.order.OrderApi.orderBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.events.CancelOrder;
import dev.saga.events.OrderPlaced;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.ProductChanged;
import dev.saga.events.Topics;
import dev.saga.messaging.EventRecords;
import dev.saga.order.OrderApi.Response;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The HTTP API end to end, on real PostgreSQL and Kafka. */
@ServiceTest
class OrderApiTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private OrderApi api;
  private SagaProbe saga;
  private ProductChanged pen;
  private ProductChanged ink;
  private String customer;

  @BeforeEach
  void seedCatalog() {
    api = new OrderApi(port);
    saga = new SagaProbe(kafka, api);
    pen = TestCatalog.product("12.50");
    ink = TestCatalog.product("3.00");
    new TestCatalog(kafka, jdbc).publish(pen, ink);
    customer = "C-" + UUID.randomUUID();
  }

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void placesAPendingOrderPricedFromTheCatalogAndAnnouncesIt() {
    Response placed = api.place(orderBody(customer, pen.productId(), 2, ink.productId(), 1));

    assertThat(placed.status()).isEqualTo(201);
    UUID orderId = UUID.fromString(placed.body().get("orderId").asString());
    assertThat(placed.location()).isEqualTo("/api/orders/" + orderId);
    assertThat(placed.body().get("status").asString()).isEqualTo("PENDING");
    assertThat(placed.body().get("customerId").asString()).isEqualTo(customer);
    assertThat(placed.text())
        .contains("\"unitPrice\":12.50", "\"unitPrice\":3.00", "\"totalAmount\":28.00")
        .contains("\"currency\":\"EUR\"");
    assertThat(placed.body().get("createdAt").asString()).endsWith("Z");

    Response read = api.get(placed.location());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(placed.body());

    ConsumerRecord<String, byte[]> record =
        kafka
            .await(
                Topics.ORDERS,
                r -> r.key().equals(orderId.toString()) && type(r).equals("OrderPlaced"),
                1,
                WAIT)
            .getFirst();
    assertThat(EventRecords.read(Topics.ORDERS, record.headers(), record.value()))
        .isEqualTo(
            new OrderPlaced(
                orderId,
                customer,
                List.of(
                    new OrderPlaced.Line(pen.productId(), 2, new BigDecimal("12.50")),
                    new OrderPlaced.Line(ink.productId(), 1, new BigDecimal("3.00"))),
                new BigDecimal("28.00"),
                "EUR"));
    assertThat(header(record, "ce_source")).isEqualTo("/order-service");
  }

  @Test
  void rejectsAnUnknownProductAndStoresNothing() {
    String key = UUID.randomUUID().toString();

    Response rejected =
        api.place(
            orderBody(customer, pen.productId(), 1, "P-unknown-" + UUID.randomUUID(), 1), key);

    assertThat(rejected.status()).isEqualTo(422);
    assertThat(rejected.contentType()).startsWith("application/problem+json");
    assertThat(ordersOf(customer)).isZero();
    assertThat(storedKeys(key)).isZero();
  }

  @Test
  void rejectsAnInactiveProductOrOneInAnotherCurrency() {
    ProductChanged inactive =
        new ProductChanged(
            "P-" + UUID.randomUUID(), "Retired", new BigDecimal("1.00"), "EUR", false, 1);
    ProductChanged dollars =
        new ProductChanged(
            "P-" + UUID.randomUUID(), "Imported", new BigDecimal("1.00"), "USD", true, 1);
    new TestCatalog(kafka, jdbc).publish(inactive, dollars);

    Response inactiveRejected = api.place(orderBody(customer, inactive.productId(), 1));
    Response dollarsRejected = api.place(orderBody(customer, dollars.productId(), 1));

    assertThat(inactiveRejected.status()).isEqualTo(422);
    assertThat(inactiveRejected.body().at("/products/" + inactive.productId()).asString())
        .isEqualTo("inactive");
    assertThat(dollarsRejected.status()).isEqualTo(422);
    assertThat(ordersOf(customer)).isZero();
  }

  @Test
  void rejectsAnInvalidRequestAndStoresNothing() {
    String key = UUID.randomUUID().toString();

    Response rejected = api.place(orderBody(customer, pen.productId(), 0), key);

    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.body().at("/errors/0/field").asString()).isEqualTo("items[0].quantity");
    assertThat(ordersOf(customer)).isZero();
    assertThat(storedKeys(key)).isZero();
  }

  @Test
  void answersARepeatedRequestWithTheOriginalResponse() {
    String key = UUID.randomUUID().toString();
    Response first = api.place(orderBody(customer, pen.productId(), 2), key);

    Response repeat =
        api.place(
            "{\"items\":[{\"quantity\":2,\"productId\":\"%s\"}],\"customerId\":\"%s\"}"
                .formatted(pen.productId(), customer),
            key);

    assertThat(first.status()).isEqualTo(201);
    assertThat(repeat.status()).isEqualTo(201);
    assertThat(repeat.location()).isEqualTo(first.location());
    assertThat(repeat.text()).isEqualTo(first.text());
    assertThat(ordersOf(customer)).isEqualTo(1);
  }

  @Test
  void rejectsAKeyReusedForAnotherRequest() {
    String key = UUID.randomUUID().toString();
    assertThat(api.place(orderBody(customer, pen.productId(), 2), key).status()).isEqualTo(201);

    Response reused = api.place(orderBody(customer, pen.productId(), 3), key);

    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.contentType()).startsWith("application/problem+json");
    assertThat(ordersOf(customer)).isEqualTo(1);
  }

  @Test
  void placesOneOrderForConcurrentRequestsWithTheSameKey() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = orderBody(customer, pen.productId(), 1);
    int requests = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Response>> answers = new ArrayList<>();
    try (ExecutorService clients = Executors.newFixedThreadPool(requests)) {
      for (int i = 0; i < requests; i++) {
        answers.add(
            clients.submit(
                () -> {
                  start.await();
                  return api.place(body, key);
                }));
      }
      start.countDown();
    }

    List<Response> responses = new ArrayList<>();
    for (Future<Response> answer : answers) {
      responses.add(answer.get());
    }
    assertThat(responses).extracting(Response::status).containsAnyOf(201).isSubsetOf(201, 409);
    List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
    assertThat(created).extracting(Response::text).containsOnly(created.getFirst().text());
    assertThat(created).extracting(Response::location).containsOnly(created.getFirst().location());
    assertThat(ordersOf(customer)).isEqualTo(1);
  }

  @Test
  void listsACustomersOrdersNewestFirst() {
    List<String> placed = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      placed.add(
          api.place(orderBody(customer, pen.productId(), i)).body().get("orderId").asString());
    }

    Response page = api.get("/api/orders?customerId=" + customer + "&page=0&size=2");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body().get("content").valueStream().map(o -> o.get("orderId").asString()))
        .containsExactly(placed.get(2), placed.get(1));
    // Each with its history, read for the whole page at once.
    assertThat(page.body().get("content").valueStream())
        .allSatisfy(
            order ->
                assertThat(order)
                    .isEqualTo(api.get("/api/orders/" + order.get("orderId").asString()).body()))
        .allSatisfy(
            order -> assertThat(order.at("/history/0/name").asString()).isEqualTo("PENDING"));
    assertThat(page.body().at("/page/totalElements").asInt()).isEqualTo(3);
    assertThat(page.body().at("/page/totalPages").asInt()).isEqualTo(2);
    assertThat(page.body().at("/page/size").asInt()).isEqualTo(2);
    assertThat(api.get("/api/orders").status()).isEqualTo(400);
  }

  @Test
  void answersNotFoundForAnUnknownOrderAndBadRequestForAnInvalidId() {
    Response unknown = api.get("/api/orders/" + UUID.randomUUID());
    Response invalid = api.get("/api/orders/123");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(api.post("/api/orders/" + UUID.randomUUID() + "/cancel").status()).isEqualTo(404);
  }

  @Test
  void cancelsAPendingOrderAtTheCustomersRequestOnce() {
    UUID orderId = saga.place(orderBody(customer, pen.productId(), 1));

    Response cancelled = api.post("/api/orders/" + orderId + "/cancel");
    Response again = api.post("/api/orders/" + orderId + "/cancel");

    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(cancelled.body().get("cancellationReason").asString())
        .isEqualTo("CUSTOMER_CANCELLED");
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body()).isEqualTo(cancelled.body());
    assertThat(saga.outcomes(orderId))
        .containsExactly(new CancelOrder(orderId, customer, CancelOrder.Reason.CUSTOMER_CANCELLED));
  }

  @Test
  void refusesToCancelAConfirmedOrder() {
    UUID orderId = saga.place(orderBody(customer, pen.productId(), 1));
    saga.send(
        new PaymentProcessed(
            orderId,
            UUID.randomUUID(),
            customer,
            PaymentProcessed.Status.SUCCEEDED,
            new BigDecimal("12.50"),
            "EUR",
            null));
    saga.awaitOrder(orderId, order -> order.get("status").asString().equals("CONFIRMED"));

    Response refused = api.post("/api/orders/" + orderId + "/cancel");

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(api.get("/api/orders/" + orderId).body().get("status").asString())
        .isEqualTo("CONFIRMED");
  }

  @Test
  void documentsEveryErrorStatusInTheOpenApiDocument() {
    JsonNode paths = api.get("/v3/api-docs").body().get("paths");

    assertThat(paths.at("/~1api~1orders/post/responses").propertyNames())
        .contains("201", "400", "409", "422", "429");
    assertThat(paths.at("/~1api~1orders~1{orderId}/get/responses").propertyNames())
        .contains("200", "400", "404");
    assertThat(paths.at("/~1api~1orders/get/responses").propertyNames()).contains("200", "400");
    assertThat(paths.at("/~1api~1orders~1{orderId}~1cancel/post/responses").propertyNames())
        .contains("202", "400", "404", "409");
  }

  private long ordersOf(String customerId) {
    return jdbc.sql("select count(*) from orders where customer_id = ?")
        .param(customerId)
        .query(Long.class)
        .single();
  }

  private long storedKeys(String key) {
    return jdbc.sql("select count(*) from idempotency_keys where key = ?")
        .param(key)
        .query(Long.class)
        .single();
  }

  private static String type(ConsumerRecord<String, byte[]> record) {
    return header(record, "ce_type");
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
