package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.Topics;
import dev.saga.load.Endpoints;
import dev.saga.load.InvariantChecker;
import dev.saga.load.SagaApi;
import dev.saga.load.SagaApi.Response;
import dev.saga.messaging.EventRecords;
import dev.saga.stack.KeepStackLogsOnFailure;
import dev.saga.stack.LocalStack;
import dev.saga.stack.StackPorts;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * All four services as separate processes on one real Kafka broker and one real PostgreSQL server,
 * driven over HTTP through every path of the saga; once the system is quiet, the invariants of the
 * design hold and every event on every topic matches its schema.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SagaSystemTests {

  private static final Duration OUTCOME = Duration.ofSeconds(60);
  private static final String DEADLINE = "6s";
  private static final double MIB = 1 << 20;
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  @TempDir static Path baseDir;

  private static LocalStack stack;

  @RegisterExtension
  static final KeepStackLogsOnFailure logs = new KeepStackLogsOnFailure(() -> stack);

  private static Endpoints endpoints;
  private static final SagaApi api = new SagaApi();
  private static final List<String> orders = new ArrayList<>();

  @BeforeAll
  static void startTheSystem() {
    stack =
        LocalStack.builder()
            .baseDir(baseDir)
            .ports(StackPorts.free())
            .serviceEnv("SAGA_ORDER_DEADLINE", DEADLINE)
            .build()
            .start();
    endpoints = StackEndpoints.of(stack);
    product("cup", "12.50", 100);
    product("grinder", "199.00", 1);
    account("rich", "1000.00");
    account("poor", "5.00");
    awaitQuiet();
  }

  @AfterAll
  static void stopTheSystem() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void confirmsAnOrderThatIsInStockAndPaid() {
    JsonNode order = place("rich", "cup", 2);
    assertThat(order.get("status").asString()).isEqualTo("PENDING");
    assertThat(order.get("totalAmount").decimalValue()).isEqualByComparingTo("25.00");

    JsonNode done = awaitTerminal(order);

    assertThat(done.get("status").asString()).isEqualTo("CONFIRMED");
    assertThat(historyNames(done))
        .contains("InventoryUpdated.RESERVED", "PaymentProcessed.SUCCEEDED", "CONFIRMED");
    await()
        .atMost(OUTCOME)
        .untilAsserted(
            () ->
                assertThat(historyNames(get(done)))
                    .contains("InventoryUpdated.COMMITTED", "NotificationSent.CONFIRMED"));
    assertThat(balance("rich")).isEqualByComparingTo("975.00");
    assertThat(payments(done))
        .singleElement()
        .satisfies(payment -> assertThat(payment.get("type").asString()).isEqualTo("CHARGE"));
  }

  @Test
  @Order(2)
  void cancelsAnOrderForMoreThanIsInStock() {
    JsonNode done = awaitTerminal(place("rich", "grinder", 2));

    assertThat(done.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(done.get("cancellationReason").asString()).isEqualTo("OUT_OF_STOCK");
    assertThat(stock("grinder").get("available").asInt()).isEqualTo(1);
    assertThat(payments(done)).isEmpty();
  }

  @Test
  @Order(3)
  void cancelsAnOrderTheCustomerCannotPayAndReleasesItsStock() {
    JsonNode done = awaitTerminal(place("poor", "cup", 1));

    assertThat(done.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(done.get("cancellationReason").asString()).isEqualTo("PAYMENT_DECLINED");
    await()
        .atMost(OUTCOME)
        .untilAsserted(
            () -> assertThat(historyNames(get(done))).contains("InventoryUpdated.RELEASED"));
    assertThat(balance("poor")).isEqualByComparingTo("5.00");
  }

  @Test
  @Order(4)
  void cancelsOnTheCustomersRequestAndOnTheDeadlineWhilePaymentIsDown() {
    stack.service("payment-service").stop();
    try {
      JsonNode cancelled = place("rich", "cup", 1);
      JsonNode timedOut = place("rich", "cup", 3);

      Response cancel =
          api.post(
              endpoints.order(),
              "/api/orders/" + cancelled.get("orderId").asString() + "/cancel",
              null);

      assertThat(cancel.status()).isEqualTo(202);
      assertThat(cancel.body().get("status").asString()).isEqualTo("CANCELLED");
      assertThat(cancel.body().get("cancellationReason").asString())
          .isEqualTo("CUSTOMER_CANCELLED");
      JsonNode expired = awaitTerminal(timedOut);
      assertThat(expired.get("status").asString()).isEqualTo("CANCELLED");
      assertThat(expired.get("cancellationReason").asString()).isEqualTo("TIMEOUT");
    } finally {
      stack.service("payment-service").start();
      stack.service("payment-service").awaitReady();
    }
  }

  @Test
  @Order(5)
  void decidesEveryOrderOfAConcurrentBurstOnce() throws Exception {
    product("mug", "3.00", 10);
    awaitQuiet();
    List<Future<JsonNode>> placed = new ArrayList<>();
    try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 40; i++) {
        String customer = i % 4 == 0 ? "poor" : "rich";
        placed.add(clients.submit(() -> place(customer, "mug", 1)));
      }
      for (Future<JsonNode> order : placed) {
        awaitTerminal(order.get());
      }
    }
    assertThat(stock("mug").get("sold").asInt()).isLessThanOrEqualTo(10);
  }

  @Test
  @Order(6)
  void keepsEveryInvariantOnceQuiet() {
    InvariantChecker.Report report =
        SystemRuns.checkWhenQuiet(api, endpoints, Duration.ofMinutes(2));

    assertThat(report.violations()).isEmpty();
    assertThat(report.orders()).isEqualTo(orders.size());
    assertThat(report.ordersByStatus()).containsOnlyKeys("CONFIRMED", "CANCELLED");
  }

  @Test
  @Order(7)
  void publishedOnlyEventsThatMatchTheirSchemasAndDeadLetteredNothing() {
    for (Topics.Topic topic : Topics.ALL) {
      List<ConsumerRecord<String, byte[]>> records = readAll(topic.name());
      assertThat(records).as(topic.name()).isNotEmpty();
      for (ConsumerRecord<String, byte[]> record : records) {
        assertThat(EventRecords.read(record.topic(), record.headers(), record.value())).isNotNull();
      }
      assertThat(readAll(topic.deadLetter())).as(topic.deadLetter()).isEmpty();
    }
  }

  /**
   * {@link LocalStack#SERVICE_JVM_OPTIONS}: each service runs the JVM its pod gets, the Serial
   * collector (whose old generation is the "Tenured Gen" pool) and a heap of at most half the pods'
   * 768 MiB (its pools' maxima add up to 371 MiB), not G1 with a quarter of this machine.
   */
  @Test
  @Order(8)
  void everyServiceRunsTheJvmOfItsPod() {
    for (String service : LocalStack.SERVICES) {
      URI base = URI.create(stack.baseUrl(service));
      assertThat(api.get(base, "/actuator/metrics/jvm.memory.max?tag=id:Tenured%20Gen").status())
          .as("%s has the Serial collector's old generation", service)
          .isEqualTo(200);
      double heap =
          api.get(base, "/actuator/metrics/jvm.memory.max?tag=area:heap")
              .body()
              .get("measurements")
              .get(0)
              .get("value")
              .asDouble();
      assertThat(heap).as("%s heap at most, bytes", service).isBetween(320.0 * MIB, 384.0 * MIB);
    }
  }

  private static JsonNode place(String customer, String product, int quantity) {
    Response response =
        api.placeOrder(
            endpoints.order(),
            Map.of(
                "customerId",
                id(customer),
                "items",
                List.of(Map.of("productId", id(product), "quantity", quantity))));
    assertThat(response.status()).as("POST /api/orders: %s", response.body()).isEqualTo(201);
    assertThat(response.raw().headers().firstValue("Location"))
        .hasValue("/api/orders/" + response.body().get("orderId").asString());
    synchronized (orders) {
      orders.add(response.body().get("orderId").asString());
    }
    return response.body();
  }

  /** Nothing left to publish or consume: e.g. the order service's catalog has the new products. */
  private static void awaitQuiet() {
    assertThat(new InvariantChecker(api, endpoints).awaitQuiet(OUTCOME)).as("quiet").isTrue();
  }

  private static JsonNode awaitTerminal(JsonNode order) {
    await().atMost(OUTCOME).until(() -> !get(order).get("status").asString().equals("PENDING"));
    return get(order);
  }

  private static JsonNode get(JsonNode order) {
    return api.get(endpoints.order(), "/api/orders/" + order.get("orderId").asString()).body();
  }

  private static List<String> historyNames(JsonNode order) {
    List<String> names = new ArrayList<>();
    order.get("history").forEach(entry -> names.add(entry.get("name").asString()));
    return names;
  }

  private static List<JsonNode> payments(JsonNode order) {
    List<JsonNode> payments = new ArrayList<>();
    api.get(endpoints.payment(), "/api/payments?orderId=" + order.get("orderId").asString())
        .body()
        .forEach(payments::add);
    return payments;
  }

  private static BigDecimal balance(String customer) {
    return api.get(endpoints.payment(), "/api/accounts/" + id(customer))
        .body()
        .get("balance")
        .decimalValue();
  }

  private static JsonNode stock(String product) {
    return api.get(endpoints.inventory(), "/api/products/" + id(product)).body();
  }

  private static void product(String name, String price, int stock) {
    Response response =
        api.put(
            endpoints.inventory(),
            "/api/products/" + id(name),
            Map.of("name", name, "price", new BigDecimal(price), "stock", stock));
    assertThat(response.status()).as("PUT product: %s", response.body()).isEqualTo(200);
  }

  private static void account(String customer, String balance) {
    Response response =
        api.put(
            endpoints.payment(),
            "/api/accounts/" + id(customer),
            Map.of("balance", new BigDecimal(balance)));
    assertThat(response.status()).as("PUT account: %s", response.body()).isEqualTo(200);
  }

  private static String id(String name) {
    return name + "-" + RUN;
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      while (partitions.stream()
          .anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
