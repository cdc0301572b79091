package dev.saga.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The running service's HTTP API as tests drive it, and the stock invariant they check. */
public final class InventoryApi {

  private final RestTestClient http;
  private final JdbcClient jdbc;

  public InventoryApi(int port, JdbcClient jdbc) {
    this.http = RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    this.jdbc = jdbc;
  }

  public RestTestClient http() {
    return http;
  }

  public ProductView define(String productId, int stock) {
    return define(productId, "Product " + productId, "2.00", stock, true);
  }

  public ProductView define(
      String productId, String name, String price, int stock, boolean active) {
    return http.put()
        .uri("/api/products/{productId}", productId)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            """
            {"name": "%s", "price": %s, "stock": %d, "active": %b}
            """
                .formatted(name, price, stock, active))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(ProductView.class)
        .returnResult()
        .getResponseBody();
  }

  public ProductView product(String productId) {
    return http.get()
        .uri("/api/products/{productId}", productId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(ProductView.class)
        .returnResult()
        .getResponseBody();
  }

  /** The sum of the product's stock adjustments. */
  public long adjustmentsOf(String productId) {
    return jdbc.sql("select coalesce(sum(delta), 0) from stock_adjustments where product_id = ?")
        .param(productId)
        .query(Long.class)
        .single();
  }

  /** Invariant 2: the adjustments sum to available + reserved + sold; nothing is oversold. */
  public ProductView assertStockConserved(String productId) {
    ProductView product = product(productId);
    assertThat(adjustmentsOf(productId))
        .as("stock adjustments of %s", productId)
        .isEqualTo(product.available() + product.reserved() + product.sold());
    assertThat(product.available()).isNotNegative();
    return product;
  }

  /** A product as {@code GET /api/products/{productId}} shows it. */
  public record ProductView(
      String productId,
      String name,
      BigDecimal price,
      String currency,
      boolean active,
      int available,
      int reserved,
      int sold) {}
}
