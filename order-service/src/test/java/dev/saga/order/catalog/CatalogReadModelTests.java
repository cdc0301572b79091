package dev.saga.order.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.ProductChanged;
import dev.saga.events.Topics;
import dev.saga.messaging.ConsumerLag;
import dev.saga.order.OrderApi;
import dev.saga.order.TestCatalog;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/** The catalog read model follows the catalog topic, and readiness waits for it. */
@ServiceTest
class CatalogReadModelTests {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired CatalogProducts products;
  @Autowired ConsumerLag consumerLag;
  @Autowired KafkaListenerEndpointRegistry listeners;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void keepsTheHighestVersionOfAProduct() {
    TestCatalog catalog = new TestCatalog(kafka, jdbc);
    String productId = "P-" + UUID.randomUUID();

    catalog.publish(change(productId, "20.00", true, 2));
    catalog.publish(change(productId, "10.00", false, 1));
    catalog.publish(change(productId, "30.00", true, 2));

    CatalogProduct product = products.findById(productId).orElseThrow();
    assertThat(product.price()).isEqualByComparingTo("20.00");
    assertThat(product.active()).isTrue();
    assertThat(product.version()).isEqualTo(2);

    catalog.publish(change(productId, "25.00", false, 3));

    product = products.findById(productId).orElseThrow();
    assertThat(product.price()).isEqualByComparingTo("25.00");
    assertThat(product.active()).isFalse();
    assertThat(product.version()).isEqualTo(3);
  }

  @Test
  void isReadyOnlyOnceTheProductsPublishedBeforeTheCheckAreApplied() {
    TestCatalog catalog = new TestCatalog(kafka, jdbc);
    List<ProductChanged> published =
        List.of(
            TestCatalog.product("1.00"), TestCatalog.product("2.00"), TestCatalog.product("3.00"));
    published.forEach(catalog::send);
    CatalogHealthIndicator readiness = new CatalogHealthIndicator(consumerLag, listeners);
    readiness.snapshotEndOffsets();

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> readiness.health().getStatus().equals(Status.UP));

    assertThat(products.findAllById(published.stream().map(ProductChanged::productId).toList()))
        .as("offsets are committed only after the products are stored")
        .hasSize(3);
  }

  @Test
  void isNotReadyWhileTheCatalogGroupIsBehind() {
    new TestCatalog(kafka, jdbc).publish(TestCatalog.product("1.00"));
    // A group that never read the catalog stands where the catalog consumer stood at startup.
    String idle = "idle-" + UUID.randomUUID();
    CatalogHealthIndicator readiness =
        new CatalogHealthIndicator(
            () -> consumerLag.endOffsets(List.of(Topics.CATALOG)),
            () -> consumerLag.positions(idle, List.of(Topics.CATALOG)));

    var health = readiness.health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsKey("behind");
  }

  @Test
  void theReadinessProbeIncludesTheCatalogAndIsUp() {
    OrderApi.Response readiness = new OrderApi(port).get("/actuator/health/readiness");

    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.body().at("/components/catalog/status").asString()).isEqualTo("UP");
    assertThat(readiness.body().at("/components/readinessState/status").asString()).isEqualTo("UP");
  }

  private static ProductChanged change(
      String productId, String price, boolean active, long version) {
    return new ProductChanged(productId, "Lamp", new BigDecimal(price), "EUR", active, version);
  }
}
