package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.Topics;
import dev.saga.load.SagaApi;
import dev.saga.load.SagaApi.Response;
import dev.saga.stack.KeepStackLogsOnFailure;
import dev.saga.stack.LocalStack;
import dev.saga.stack.StackPorts;
import dev.saga.system.OtlpReceiver.ReceivedSpan;
import dev.saga.test.KafkaProbe;
import dev.saga.test.PrometheusText;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * The four services as separate processes, exporting their spans over OTLP to a receiver in this
 * test: one order is one trace tree across every service and outbox; its timeline lists every event
 * of every service; every metric the Grafana dashboard and the alert rules use is scraped; and the
 * live page, in headless Chromium, follows one order to {@code CONFIRMED} and one to {@code
 * CANCELLED}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilitySystemTests {

  private static final Duration OUTCOME = Duration.ofSeconds(60);
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final List<String> SERVICES = LocalStack.SERVICES;
  private static final Pattern METRIC = Pattern.compile("\\bsaga_[a-z0-9_]+(?![-\\w])");

  @TempDir static Path baseDir;

  private static OtlpReceiver receiver;
  private static LocalStack stack;

  @RegisterExtension
  static final KeepStackLogsOnFailure logs = new KeepStackLogsOnFailure(() -> stack);

  private static final SagaApi api = new SagaApi();
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startTheSystem() throws IOException {
    receiver = new OtlpReceiver();
    stack =
        LocalStack.builder()
            .baseDir(baseDir)
            .ports(StackPorts.free())
            .serviceEnv(
                "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", receiver.endpoint())
            .serviceEnv("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms")
            .serviceEnv("SAGA_MESSAGING_METRICS_REFRESH_INTERVAL", "500ms")
            .serviceEnv("SAGA_ORDER_METRICS_REFRESH_INTERVAL", "500ms")
            .build()
            .start();
    assertThat(
            api.put(
                    uri("inventory-service"),
                    "/api/products/" + id("cup"),
                    Map.of("name", "Espresso cup", "price", new BigDecimal("12.50"), "stock", 100))
                .status())
        .isEqualTo(200);
    account("rich", "1000.00");
    account("poor", "5.00");
    await()
        .atMost(OUTCOME)
        .until(
            () ->
                api.get(uri("order-service"), "/api/live/products")
                    .body()
                    .toString()
                    .contains(id("cup")));
  }

  @AfterAll
  static void stopTheSystem() {
    if (stack != null) {
      stack.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  @Order(1)
  void oneOrderIsOneTraceTreeAcrossEveryServiceAndOutbox() {
    String orderId = place("rich", 2);
    JsonNode timeline = awaitTimeline(orderId, "NotificationSent", "COMMITTED");
    String traceId = timeline.get("traceId").asString();

    List<ReceivedSpan> trace =
        await()
            .atMost(OUTCOME)
            .until(
                () -> receiver.ofTrace(traceId),
                spans ->
                    OtlpReceiver.treeProblems(spans).isEmpty()
                        && spans.stream()
                            .anyMatch(
                                span ->
                                    span.service().equals("order-service")
                                        && span.name().equals("notifications process")));

    assertThat(trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    ReceivedSpan root =
        trace.stream().filter(span -> span.parentSpanId().isEmpty()).findFirst().orElseThrow();
    assertThat(root.service()).isEqualTo("order-service");
    assertThat(root.name()).isEqualTo("http post /api/orders");
    assertThat(trace)
        .extracting(ReceivedSpan::toString)
        .contains(
            "order-service:orders send",
            "inventory-service:orders process",
            "inventory-service:inventory send",
            "payment-service:inventory process",
            "payment-service:payments send",
            "order-service:payments process",
            "notification-service:orders process",
            "notification-service:mail send",
            "notification-service:notifications send",
            "order-service:notifications process");
    // Each hop is a child of the one before: the consumer of an event continues its publisher.
    assertThat(parentOf(trace, "payment-service", "inventory process").name())
        .isEqualTo("inventory send");
    assertThat(parentOf(trace, "order-service", "notifications process").service())
        .isEqualTo("notification-service");
    assertThat(timeline.get("events").valueStream())
        .as("every event of a confirmed order is in the order's trace")
        .allSatisfy(event -> assertThat(event.get("traceId").asString()).isEqualTo(traceId));
  }

  @Test
  @Order(2)
  void theTimelineListsEveryEventOfEveryServiceInOrder() {
    String orderId = place("poor", 1);

    JsonNode timeline = awaitTimeline(orderId, "NotificationSent", "RELEASED");

    assertThat(timeline.get("status").asString()).isEqualTo("CANCELLED");
    List<String> events =
        timeline
            .get("events")
            .valueStream()
            .map(
                e ->
                    e.get("service").asString()
                        + " "
                        + e.get("type").asString()
                        + " "
                        + e.path("detail").asString(""))
            .toList();
    assertThat(events).hasSize(6);
    assertThat(events.subList(0, 4))
        .containsExactly(
            "order-service OrderPlaced ",
            "inventory-service InventoryUpdated RESERVED",
            "payment-service PaymentProcessed FAILED INSUFFICIENT_FUNDS",
            "order-service CancelOrder PAYMENT_DECLINED");
    // Inventory and notification both react to CancelOrder, independently: either may come first.
    assertThat(events.subList(4, 6))
        .containsExactlyInAnyOrder(
            "inventory-service InventoryUpdated RELEASED",
            "notification-service NotificationSent CANCELLED");
  }

  @Test
  @Order(3)
  void servesEveryMetricTheDashboardAndTheAlertRulesUse() throws Exception {
    try (KafkaProbe kafka = new KafkaProbe(stack.bootstrapServers())) {
      // One duplicate and one unreadable record, so the counters of both exist.
      ConsumerRecord<String, byte[]> payment = kafka.readAll(Topics.PAYMENTS).getFirst();
      ProducerRecord<String, byte[]> again =
          new ProducerRecord<>(Topics.PAYMENTS, payment.key(), payment.value());
      payment.headers().forEach(again.headers()::add);
      kafka.send(again);
      kafka.send(
          new ProducerRecord<>(
              Topics.NOTIFICATIONS,
              "poison-" + RUN,
              "not an event".getBytes(StandardCharsets.UTF_8)));
    }
    Set<String> used = new TreeSet<>();
    for (String file :
        List.of(
            "docker/observability/alerts.yml",
            "docker/observability/grafana/dashboards/saga.json")) {
      Matcher metric = METRIC.matcher(Files.readString(repository().resolve(file)));
      while (metric.find()) {
        used.add(metric.group());
      }
    }
    assertThat(used).hasSizeGreaterThan(10);

    await()
        .atMost(OUTCOME)
        .untilAsserted(
            () -> {
              Set<String> scraped = new TreeSet<>();
              for (String service : SERVICES) {
                PrometheusText scrape = scrape(service);
                scraped.addAll(scrape.names());
                assertThat(scrape.samples("saga_outbox_pending", Map.of())).as(service).hasSize(1);
                assertThat(scrape.samples("saga_consumer_lag", Map.of("group", service)))
                    .as("%s lag per partition", service)
                    .isNotEmpty()
                    .allSatisfy(
                        sample -> assertThat(sample.labels()).containsKeys("topic", "partition"));
              }
              assertThat(scraped).containsAll(used);
              PrometheusText order = scrape("order-service");
              assertThat(order.sum("saga_consumer_duplicates_total", Map.of("topic", "payments")))
                  .isPositive();
              assertThat(order.sum("saga_deadletter_records", Map.of("topic", "notifications.DLT")))
                  .isPositive();
              assertThat(order.sum("saga_order_outcomes_total", Map.of("outcome", "CONFIRMED")))
                  .isPositive();
              assertThat(order.sum("saga_orders", Map.of("status", "CANCELLED"))).isPositive();
            });
  }

  @Test
  @Order(4)
  void theLivePageFollowsAnOrderToConfirmedAndOneToCancelled() throws IOException {
    try (LivePage page = LivePage.open(stack.baseUrl("order-service"))) {
      page.place(id("rich"), id("cup"), 1);
      page.awaitStatus("CONFIRMED");
      page.awaitEvent("NotificationSent", "CONFIRMED");
      page.awaitEvent("InventoryUpdated", "COMMITTED");
      assertThat(page.traceId()).matches("[0-9a-f]{32}");

      page.place(id("poor"), id("cup"), 1);
      page.awaitStatus("CANCELLED · PAYMENT_DECLINED");
      page.awaitEvent("InventoryUpdated", "RELEASED");
      page.awaitEvent("NotificationSent", "CANCELLED");
      assertThat(page.compensations())
          .contains("CancelOrder", "PaymentProcessed", "InventoryUpdated");
      assertThat(page.recentStatuses()).contains("CONFIRMED", "CANCELLED · PAYMENT_DECLINED");

      Path screenshot = page.screenshot(Path.of("target", "live-page.png"));
      assertThat(Files.size(screenshot)).isPositive();
      // The README's picture: refreshed on request, e.g. -Dsaga.screenshot.update=true
      if (Boolean.getBoolean("saga.screenshot.update")) {
        Files.copy(
            screenshot,
            repository().resolve("docs/live-page.png"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static String place(String customer, int quantity) {
    Response placed =
        api.placeOrder(
            uri("order-service"),
            Map.of(
                "customerId",
                id(customer),
                "items",
                List.of(Map.of("productId", id("cup"), "quantity", quantity))));
    assertThat(placed.status()).as("%s", placed.body()).isEqualTo(201);
    return placed.body().get("orderId").asString();
  }

  /**
   * Waits until the order's timeline has a {@code type} event whose detail starts with one of
   * those.
   */
  private static JsonNode awaitTimeline(String orderId, String lastType, String otherDetail) {
    return await()
        .atMost(OUTCOME)
        .until(
            () -> api.get(uri("order-service"), "/api/orders/" + orderId + "/timeline").body(),
            timeline ->
                timeline
                        .get("events")
                        .valueStream()
                        .anyMatch(e -> e.get("type").asString().equals(lastType))
                    && timeline
                        .get("events")
                        .valueStream()
                        .anyMatch(e -> e.path("detail").asString("").equals(otherDetail)));
  }

  private static ReceivedSpan parentOf(List<ReceivedSpan> trace, String service, String name) {
    ReceivedSpan child =
        trace.stream()
            .filter(span -> span.service().equals(service) && span.name().equals(name))
            .findFirst()
            .orElseThrow();
    return trace.stream()
        .filter(span -> span.spanId().equals(child.parentSpanId()))
        .findFirst()
        .orElseThrow();
  }

  private static PrometheusText scrape(String service) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.baseUrl(service) + "/actuator/prometheus"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }

  private static void account(String customer, String balance) {
    assertThat(
            api.put(
                    uri("payment-service"),
                    "/api/accounts/" + id(customer),
                    Map.of("balance", new BigDecimal(balance)))
                .status())
        .isEqualTo(200);
  }

  private static URI uri(String service) {
    return URI.create(stack.baseUrl(service));
  }

  private static String id(String name) {
    return name + "-" + RUN;
  }

  private static Path repository() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("Not inside the repository");
  }
}
