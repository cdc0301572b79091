package dev.saga.inventory.product;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.events.OrderPlaced;
import dev.saga.events.ProductChanged;
import dev.saga.events.Topics;
import dev.saga.inventory.InventoryApi;
import dev.saga.inventory.InventoryApi.ProductView;
import dev.saga.messaging.EventRecords;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

@ServiceTest
class ProductApiTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private InventoryApi api;

  @BeforeEach
  void connect() {
    api = new InventoryApi(port, jdbc);
  }

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void createsAProductWithItsStockAvailableAndAnnouncesIt() {
    String productId = newProductId();

    ProductView created = api.define(productId, "Fountain pen", "12.5", 10, true);

    ProductView expected =
        new ProductView(productId, "Fountain pen", new BigDecimal("12.50"), "EUR", true, 10, 0, 0);
    assertThat(created).isEqualTo(expected);
    assertThat(api.product(productId)).isEqualTo(expected);
    assertThat(api.adjustmentsOf(productId)).isEqualTo(10);
    assertThat(catalogEvents(productId, 1))
        .containsExactly(
            new ProductChanged(productId, "Fountain pen", new BigDecimal("12.50"), "EUR", true, 1));
  }

  @Test
  void updatesAProductSettingAvailableAndLeavingReservedStockAlone() {
    String productId = newProductId();
    api.define(productId, 10);
    reserve(productId, 3);

    ProductView updated = api.define(productId, "Renamed", "3.00", 4, false);

    assertThat(updated)
        .isEqualTo(
            new ProductView(productId, "Renamed", new BigDecimal("3.00"), "EUR", false, 4, 3, 0));
    assertThat(api.assertStockConserved(productId)).isEqualTo(updated);
    assertThat(adjustments(productId)).containsExactly(10, 4 - 7);
  }

  @Test
  void announcesEveryChangeWithAHigherVersion() {
    String productId = newProductId();

    api.define(productId, "One", "1.00", 1, true);
    api.define(productId, "Two", "2.00", 1, true);
    api.define(productId, "Three", "3.00", 0, false);

    assertThat(catalogEvents(productId, 3))
        .extracting(ProductChanged::version, ProductChanged::name, ProductChanged::active)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "One", true),
            org.assertj.core.groups.Tuple.tuple(2L, "Two", true),
            org.assertj.core.groups.Tuple.tuple(3L, "Three", false));
  }

  @Test
  void recordsAnAdjustmentOnlyWhenTheStockChanges() {
    String productId = newProductId();

    api.define(productId, 5);
    api.define(productId, "Same stock, new name", "2.00", 5, true);

    assertThat(adjustments(productId)).containsExactly(5);
    api.assertStockConserved(productId);
  }

  @Test
  void createsANewProductOnceWhenTwoRequestsRace() throws Exception {
    String productId = newProductId();
    CountDownLatch start = new CountDownLatch(1);

    CompletableFuture<ProductView> three = defineAfter(start, productId, 3);
    CompletableFuture<ProductView> seven = defineAfter(start, productId, 7);
    start.countDown();

    assertThat(List.of(three.get().available(), seven.get().available()))
        .containsExactlyInAnyOrder(3, 7);
    ProductView product = api.assertStockConserved(productId);
    assertThat(product.available()).isIn(3, 7);
    assertThat(catalogEvents(productId, 2))
        .extracting(ProductChanged::version)
        .containsExactly(1L, 2L);
  }

  @Test
  void storesNothingForARejectedRequest() {
    String productId = newProductId();

    api.http()
        .put()
        .uri("/api/products/{productId}", productId)
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"name\":\"Pen\",\"price\":-1.00,\"stock\":5}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("price");

    api.http()
        .get()
        .uri("/api/products/{productId}", productId)
        .exchange()
        .expectStatus()
        .isNotFound();
    assertThat(count("select count(*) from products where id = ?", productId)).isZero();
    assertThat(count("select count(*) from stock_adjustments where product_id = ?", productId))
        .isZero();
    assertThat(count("select count(*) from outbox where msg_key = ?", productId)).isZero();
    assertThat(kafka.readAll(Topics.CATALOG)).noneMatch(r -> productId.equals(r.key()));
  }

  @Test
  void answersNotFoundAsProblemDetailsForAnUnknownProduct() {
    api.http()
        .get()
        .uri("/api/products/{productId}", newProductId())
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(404);
  }

  @Test
  void pagesNewestFirst() {
    String first = newProductId();
    String second = newProductId();
    String third = newProductId();
    api.define(first, 1);
    api.define(second, 1);
    api.define(third, 1);
    // An update does not make a product newer.
    api.define(first, 2);

    api.http()
        .get()
        .uri("/api/products?page=0&size=3")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.content[*].productId")
        .isEqualTo(List.of(third, second, first))
        .jsonPath("$.page.number")
        .isEqualTo(0)
        .jsonPath("$.page.size")
        .isEqualTo(3)
        .jsonPath("$.page.totalElements")
        .value(total -> assertThat(((Number) total).longValue()).isGreaterThanOrEqualTo(3));
  }

  @Test
  void documentsTheErrorStatusesOfEachOperation() {
    api.http()
        .get()
        .uri("/v3/api-docs")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/api/products/{productId}'].get.responses['404']")
        .exists()
        .jsonPath("$.paths['/api/products/{productId}'].get.responses['400']")
        .exists()
        .jsonPath("$.paths['/api/products/{productId}'].put.responses['400']")
        .exists()
        .jsonPath("$.paths['/api/products'].get.responses['400']")
        .exists();
  }

  private CompletableFuture<ProductView> defineAfter(
      CountDownLatch start, String productId, int stock) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          return api.define(productId, stock);
        });
  }

  private void reserve(String productId, int quantity) {
    UUID orderId = UUID.randomUUID();
    kafka.send(
        EventRecords.of(
            new OrderPlaced(
                orderId,
                "C-1",
                List.of(new OrderPlaced.Line(productId, quantity, new BigDecimal("2.00"))),
                new BigDecimal("2.00").multiply(BigDecimal.valueOf(quantity)),
                "EUR"),
            UUID.randomUUID(),
            "/order-service"));
    kafka.await(Topics.INVENTORY, r -> orderId.toString().equals(r.key()), 1, WAIT);
  }

  private List<ProductChanged> catalogEvents(String productId, int count) {
    return kafka.await(Topics.CATALOG, r -> productId.equals(r.key()), count, WAIT).stream()
        .map(r -> (ProductChanged) EventRecords.read(Topics.CATALOG, r.headers(), r.value()))
        .toList();
  }

  private List<Integer> adjustments(String productId) {
    return jdbc.sql("select delta from stock_adjustments where product_id = ? order by id")
        .param(productId)
        .query(Integer.class)
        .list();
  }

  private long count(String sql, String productId) {
    return jdbc.sql(sql).param(productId).query(Long.class).single();
  }

  private static String newProductId() {
    return "P-" + UUID.randomUUID();
  }
}
