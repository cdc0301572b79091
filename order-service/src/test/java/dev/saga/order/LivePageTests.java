package dev.saga.order;

import static dev.saga.order.OrderApi.orderBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.PaymentProcessed;
import dev.saga.events.ProductChanged;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What the live page reads from the order service: the page itself, the products and order lists,
 * and a stream of every committed change.
 */
@ServiceTest
class LivePageTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private final HttpClient http = HttpClient.newHttpClient();
  private OrderApi api;
  private SagaProbe saga;
  private ProductChanged product;
  private String customer;

  @BeforeEach
  void seedCatalog() {
    api = new OrderApi(port);
    saga = new SagaProbe(kafka, api);
    product = TestCatalog.product("2.50");
    new TestCatalog(kafka, jdbc).publish(product);
    customer = "C-" + UUID.randomUUID();
  }

  @AfterEach
  void close() {
    kafka.close();
    http.close();
  }

  @Test
  void servesThePageAndItsAssetsWithoutAnythingFromElsewhere() throws Exception {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body())
        .contains("<html lang=\"en\">", "live.js", "live.css", "<label for=\"customer\">");
    assertThat(page.body()).doesNotContain("http://", "https://");
    assertThat(get("/live.js").statusCode()).isEqualTo(200);
    assertThat(get("/live.js").body())
        .contains("new EventSource('/api/live/events')")
        .doesNotContain("http");
    assertThat(get("/live.css").statusCode()).isEqualTo(200);
  }

  @Test
  void listsTheProductsADemoOrderCanNameAndTheNewestAndStuckOrders() {
    UUID orderId = saga.place(orderBody(customer, product.productId(), 1));

    JsonNode products = api.get("/api/live/products").body();
    assertThat(products.valueStream().map(p -> p.get("productId").asString()))
        .contains(product.productId());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode lists = api.get("/api/live/orders?limit=100").body();
              assertThat(ids(lists.get("recent"))).contains(orderId.toString());
              assertThat(ids(lists.get("stuck")))
                  .as("pending for longer than saga.order.stuck-after")
                  .contains(orderId.toString());
              assertThat(lists.get("recent").get(0).get("traceId").asString())
                  .matches("[0-9a-f]{32}");
            });
    assertThat(api.get("/api/live/orders?limit=0").status()).isEqualTo(400);
  }

  @Test
  void streamsEveryCommittedChangeOfAnOrder() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest subscribe =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/live/events"))
            .header("Accept", "text/event-stream")
            .build();
    var stream = http.sendAsync(subscribe, HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = stream.get();
    Thread reader = Thread.ofPlatform().daemon().start(() -> response.body().forEach(lines::add));
    try {
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
      UUID orderId = saga.place(orderBody(customer, product.productId(), 1));
      saga.send(
          new PaymentProcessed(
              orderId,
              UUID.randomUUID(),
              customer,
              PaymentProcessed.Status.SUCCEEDED,
              new BigDecimal("2.50"),
              "EUR",
              null));

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(lines)
                      .anySatisfy(
                          line ->
                              assertThat(line)
                                  .startsWith("data:")
                                  .contains(
                                      orderId.toString(),
                                      "\"status\":\"PENDING\"",
                                      "\"type\":\"OrderPlaced\""))
                      .anySatisfy(
                          line ->
                              assertThat(line)
                                  .contains(
                                      orderId.toString(),
                                      "\"status\":\"CONFIRMED\"",
                                      "\"type\":\"PaymentProcessed\"",
                                      "\"type\":\"OrderConfirmed\"")));
      assertThat(lines).contains("event:order");
    } finally {
      response.body().close();
      reader.interrupt();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> ids(JsonNode orders) {
    return orders.valueStream().map(order -> order.get("orderId").asString()).toList();
  }
}
