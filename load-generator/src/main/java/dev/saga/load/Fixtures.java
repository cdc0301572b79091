package dev.saga.load;

import dev.saga.load.Mix.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The products and accounts one run creates through the public API, all named after the run so that
 * runs never share state: many well-stocked products and rich customers (so that row locks do not
 * serialize unrelated orders), a product without stock, a few hot products with little stock, and
 * customers who cannot pay.
 */
final class Fixtures {

  static final int PRODUCTS = 20;
  static final int HOT_PRODUCTS = 3;
  static final int CUSTOMERS = 50;
  static final int POOR_CUSTOMERS = 5;
  static final int STOCK = 1_000_000;
  static final BigDecimal RICH = new BigDecimal("100000000.00");

  private final List<String> products = new ArrayList<>();
  private final List<String> hotProducts = new ArrayList<>();
  private final List<String> customers = new ArrayList<>();
  private final List<String> poorCustomers = new ArrayList<>();
  private final String soldOut;

  private Fixtures(String runId) {
    for (int i = 0; i < PRODUCTS; i++) {
      products.add("lg-" + runId + "-p" + i);
    }
    for (int i = 0; i < HOT_PRODUCTS; i++) {
      hotProducts.add("lg-" + runId + "-hot" + i);
    }
    for (int i = 0; i < CUSTOMERS; i++) {
      customers.add("lg-" + runId + "-c" + i);
    }
    for (int i = 0; i < POOR_CUSTOMERS; i++) {
      poorCustomers.add("lg-" + runId + "-poor" + i);
    }
    soldOut = "lg-" + runId + "-sold-out";
  }

  /** Creates the run's products and accounts; the order service sees them once it is quiet. */
  static Fixtures create(SagaApi api, Endpoints endpoints, String runId, int hotStock) {
    Fixtures fixtures = new Fixtures(runId);
    for (int i = 0; i < PRODUCTS; i++) {
      product(
          api,
          endpoints,
          fixtures.products.get(i),
          new BigDecimal(1 + i).add(new BigDecimal("0.25")),
          STOCK);
    }
    for (String hot : fixtures.hotProducts) {
      product(api, endpoints, hot, new BigDecimal("49.90"), hotStock);
    }
    product(api, endpoints, fixtures.soldOut, new BigDecimal("9.99"), 0);
    for (String customer : fixtures.customers) {
      account(api, endpoints, customer, RICH);
    }
    for (String customer : fixtures.poorCustomers) {
      account(api, endpoints, customer, new BigDecimal("0.50"));
    }
    return fixtures;
  }

  /** The body of {@code POST /api/orders} for an order of this kind. */
  Map<String, Object> order(Kind kind, RandomGenerator random) {
    return switch (kind) {
      case PAID, CANCEL -> body(pick(customers, random), normalLines(random));
      case OUT_OF_STOCK ->
          body(
              pick(customers, random),
              List.of(line(pick(products, random), 1), line(soldOut, 1 + random.nextInt(3))));
      case DECLINED -> body(pick(poorCustomers, random), normalLines(random));
      case HOT -> body(pick(customers, random), List.of(line(pick(hotProducts, random), 1)));
    };
  }

  private List<Map<String, Object>> normalLines(RandomGenerator random) {
    int first = random.nextInt(products.size());
    List<Map<String, Object>> lines = new ArrayList<>();
    lines.add(line(products.get(first), 1 + random.nextInt(3)));
    if (random.nextBoolean()) {
      lines.add(
          line(products.get((first + 1 + random.nextInt(products.size() - 1)) % PRODUCTS), 1));
    }
    return lines;
  }

  private static Map<String, Object> body(String customer, List<Map<String, Object>> lines) {
    return Map.of("customerId", customer, "items", lines);
  }

  private static Map<String, Object> line(String product, int quantity) {
    return Map.of("productId", product, "quantity", quantity);
  }

  private static String pick(List<String> ids, RandomGenerator random) {
    return ids.get(random.nextInt(ids.size()));
  }

  private static void product(
      SagaApi api, Endpoints endpoints, String id, BigDecimal price, int stock) {
    SagaApi.Response response =
        api.put(
            endpoints.inventory(),
            "/api/products/" + id,
            Map.of("name", "Load " + id, "price", price, "stock", stock));
    if (response.status() != 200) {
      throw new IllegalStateException(
          "PUT /api/products/" + id + " answered " + response.status() + ": " + response.body());
    }
  }

  private static void account(SagaApi api, Endpoints endpoints, String id, BigDecimal balance) {
    SagaApi.Response response =
        api.put(endpoints.payment(), "/api/accounts/" + id, Map.of("balance", balance));
    if (response.status() != 200) {
      throw new IllegalStateException(
          "PUT /api/accounts/" + id + " answered " + response.status() + ": " + response.body());
    }
  }
}
