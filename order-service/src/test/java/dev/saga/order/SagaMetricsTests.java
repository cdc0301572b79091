package dev.saga.order;

import static dev.saga.order.OrderApi.orderBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.PaymentProcessed;
import dev.saga.events.ProductChanged;
import dev.saga.test.KafkaProbe;
import dev.saga.test.PrometheusText;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The saga's metrics, as Prometheus scrapes them from {@code /actuator/prometheus}. */
@ServiceTest
class SagaMetricsTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;
  @Autowired OrderProperties settings;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private OrderApi api;
  private SagaProbe saga;
  private ProductChanged product;
  private String customer;

  @BeforeEach
  void seedCatalog() {
    api = new OrderApi(port);
    saga = new SagaProbe(kafka, api);
    product = TestCatalog.product("6.00");
    new TestCatalog(kafka, jdbc).publish(product);
    customer = "C-" + UUID.randomUUID();
  }

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void countsOutcomesByReasonAndTimesEachSagaFromPlacementToOutcome() {
    Map<String, String> confirmed = Map.of("outcome", "CONFIRMED", "reason", "NONE");
    Map<String, String> declined = Map.of("outcome", "CANCELLED", "reason", "PAYMENT_DECLINED");
    PrometheusText before = scrape();
    UUID paid = saga.place(orderBody(customer, product.productId(), 1));
    UUID unpaid = saga.place(orderBody(customer, product.productId(), 1));

    saga.send(payment(paid, PaymentProcessed.Status.SUCCEEDED, null));
    saga.send(
        payment(
            unpaid, PaymentProcessed.Status.FAILED, PaymentProcessed.Reason.INSUFFICIENT_FUNDS));
    saga.awaitHistory(paid, "CONFIRMED");
    saga.awaitHistory(unpaid, "CANCELLED");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              PrometheusText scrape = scrape();
              assertThat(scrape.sum("saga_order_outcomes_total", confirmed))
                  .isEqualTo(before.sum("saga_order_outcomes_total", confirmed) + 1);
              assertThat(scrape.sum("saga_order_outcomes_total", declined))
                  .isEqualTo(before.sum("saga_order_outcomes_total", declined) + 1);
              assertThat(
                      scrape.sum(
                          "saga_order_duration_seconds_count", Map.of("outcome", "CONFIRMED")))
                  .isEqualTo(
                      before.sum(
                              "saga_order_duration_seconds_count", Map.of("outcome", "CONFIRMED"))
                          + 1);
              assertThat(
                      scrape.samples(
                          "saga_order_duration_seconds_bucket", Map.of("outcome", "CANCELLED")))
                  .isNotEmpty();
              assertThat(scrape.sum("saga_orders", Map.of("status", "CONFIRMED")))
                  .isEqualTo(count("CONFIRMED"));
              assertThat(scrape.samples("saga_orders", Map.of()))
                  .extracting(sample -> sample.labels().get("status"))
                  .containsExactlyInAnyOrder("PENDING", "CONFIRMED", "CANCELLED");
              assertThat(
                      scrape.samples(
                          "saga_consumer_lag",
                          Map.of("group", "order-service", "topic", "payments")))
                  .hasSize(6);
            });
  }

  @Test
  void countsOrdersThatAreStillPendingAfterTheDeadline() {
    UUID orderId = saga.place(orderBody(customer, product.productId(), 1));

    // Holding the order's row lock keeps the deadline job (which skips locked rows) from it, as a
    // deadline job that fell behind would.
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql("select id from orders where id = ? for update")
              .param(orderId)
              .query(UUID.class)
              .single();
          await().atMost(WAIT).until(() -> scrape().sum("saga_orders_overdue") >= 1);
          assertThat(api.get("/api/orders/" + orderId).body().get("status").asString())
              .isEqualTo("PENDING");
        });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      api.get("/api/orders/" + orderId)
                          .body()
                          .path("cancellationReason")
                          .asString(""))
                  .isEqualTo("TIMEOUT");
              assertThat(scrape().sum("saga_orders_overdue")).isZero();
            });
  }

  private long count(String status) {
    return jdbc.sql("select count(*) from orders where status = ?")
        .param(status)
        .query(Long.class)
        .single();
  }

  private PaymentProcessed payment(
      UUID orderId, PaymentProcessed.Status status, PaymentProcessed.Reason reason) {
    return new PaymentProcessed(
        orderId, UUID.randomUUID(), customer, status, new BigDecimal("6.00"), "EUR", reason);
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(
        org.springframework.web.client.RestClient.create("http://localhost:" + port)
            .get()
            .uri("/actuator/prometheus")
            .retrieve()
            .body(String.class));
  }
}
