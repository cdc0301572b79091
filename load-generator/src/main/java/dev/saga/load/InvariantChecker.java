package dev.saga.load;

import dev.saga.load.ReadOnlyQueries.Reset;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Checks the invariants of §6 of the design once the system is quiet, through the public APIs and
 * three documented read-only queries ({@link ReadOnlyQueries}), and reports each violation with the
 * order, product or customer it concerns.
 *
 * <ol>
 *   <li>Every order is {@code CONFIRMED} or {@code CANCELLED}.
 *   <li>Per product: Σ stock adjustments = available + reserved + sold, reserved = 0, available ≥
 *       0, and sold = the quantities of its confirmed orders.
 *   <li>Per customer: balance = balance of the last PUT − Σ totals of confirmed orders placed after
 *       it, and never negative; per order: a confirmed order has exactly one charge of its total
 *       and no refund, a cancelled order's charges and refunds net to 0.
 *   <li>Each terminal order has exactly one notification, for its outcome, and it was sent (or the
 *       mail server refused its recipient for good).
 *   <li>Replaying events changes nothing: compare {@link Report#state()} before and after.
 * </ol>
 */
public final class InvariantChecker {

  private static final int PARALLEL_REQUESTS = 16;
  private static final JsonNode EMPTY = JsonNodeFactory.instance.arrayNode();

  private final SagaApi api;
  private final Endpoints endpoints;
  private final ReadOnlyQueries queries;

  public InvariantChecker(SagaApi api, Endpoints endpoints) {
    this.api = api;
    this.endpoints = endpoints;
    this.queries = new ReadOnlyQueries(endpoints);
  }

  /** What the checker saw, and what it found wrong. */
  public record Report(
      int orders,
      int products,
      int customers,
      Map<String, Integer> ordersByStatus,
      List<Violation> violations,
      Map<String, String> state) {

    public boolean isClean() {
      return violations.isEmpty();
    }

    public String summary() {
      return "Checked "
          + orders
          + " orders "
          + ordersByStatus
          + ", "
          + products
          + " products, "
          + customers
          + " customers: "
          + (violations.isEmpty() ? "no violations" : violations.size() + " violations");
    }
  }

  /**
   * Waits until every service reports the quiet state (nothing left to publish, consume or send)
   * twice in a row.
   *
   * @return whether the system became quiet within {@code timeout}
   */
  public boolean awaitQuiet(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    int quietInARow = 0;
    while (Instant.now().isBefore(deadline)) {
      quietInARow = isQuiet() ? quietInARow + 1 : 0;
      if (quietInARow == 2) {
        return true;
      }
      pause();
    }
    return false;
  }

  private boolean isQuiet() {
    for (var service :
        List.of(
            endpoints.order(),
            endpoints.inventory(),
            endpoints.payment(),
            endpoints.notification())) {
      try {
        if (api.get(service, "/actuator/health/quiet").status() != 200) {
          return false;
        }
      } catch (RuntimeException unreachable) {
        return false;
      }
    }
    return true;
  }

  /**
   * Invariant 5: what a replay changed. Compares two {@link Report#state()}s, the first taken
   * before events were delivered again and the second after, and reports every entry that differs
   * or appeared.
   */
  public static List<Violation> compare(Map<String, String> before, Map<String, String> after) {
    List<Violation> violations = new ArrayList<>();
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      String was = before.get(key);
      String now = after.get(key);
      if (!java.util.Objects.equals(was, now)) {
        // Keys are "order <id> payments", "product <id>", ...: the subject is the first two words.
        String[] words = key.split(" ");
        String subject = words.length > 1 ? words[0] + " " + words[1] : key;
        violations.add(
            new Violation(
                5,
                subject,
                key
                    + " was "
                    + (was == null ? "absent" : was)
                    + ", is "
                    + (now == null ? "absent" : now)));
      }
    }
    return violations;
  }

  /** Reads everything the invariants are about, then checks them. */
  public Report check() {
    return evaluate(snapshot());
  }

  /**
   * What the public APIs and the read-only queries show: every order of every customer who placed
   * one, each order's payments and notifications, every product and every account.
   */
  public record Snapshot(
      List<JsonNode> orders,
      Map<String, JsonNode> payments,
      Map<String, JsonNode> notifications,
      List<JsonNode> products,
      Map<String, Long> stockAdjustments,
      Map<String, Reset> lastResets,
      Map<String, JsonNode> accounts) {}

  /** Reads a {@link Snapshot}: the API calls run {@value #PARALLEL_REQUESTS} at a time. */
  public Snapshot snapshot() {
    Map<String, Long> adjustments = queries.stockAdjustments();
    Map<String, Reset> resets = queries.lastResets();
    Set<String> customers = new TreeSet<>(queries.customers());
    customers.addAll(resets.keySet());

    List<JsonNode> orders =
        parallel(
                customers,
                customer -> api.allPages(endpoints.order(), "/api/orders?customerId=" + customer))
            .values()
            .stream()
            .flatMap(List::stream)
            .toList();
    List<String> orderIds = orders.stream().map(order -> order.get("orderId").asString()).toList();
    Map<String, JsonNode> payments =
        parallel(
            orderIds, id -> api.get(endpoints.payment(), "/api/payments?orderId=" + id).body());
    Map<String, JsonNode> notifications =
        parallel(
            orderIds,
            id -> api.get(endpoints.notification(), "/api/notifications?orderId=" + id).body());
    List<JsonNode> products = api.allPages(endpoints.inventory(), "/api/products");
    Map<String, JsonNode> accounts =
        parallel(
            resets.keySet(),
            customer -> api.get(endpoints.payment(), "/api/accounts/" + customer).body());
    return new Snapshot(orders, payments, notifications, products, adjustments, resets, accounts);
  }

  /** Checks invariants 1 to 4 on what a {@link Snapshot} shows; no I/O. */
  public static Report evaluate(Snapshot snapshot) {
    List<Violation> violations = new ArrayList<>();
    Map<String, String> state = new TreeMap<>();
    Set<String> customers = new TreeSet<>(snapshot.lastResets().keySet());
    Map<String, Integer> byStatus = new TreeMap<>();
    for (JsonNode order : snapshot.orders()) {
      String id = order.get("orderId").asString();
      String status = order.get("status").asString();
      customers.add(order.get("customerId").asString());
      byStatus.merge(status, 1, Integer::sum);
      state.put("order " + id, status);
      checkOrder(
          order,
          snapshot.payments().getOrDefault(id, EMPTY),
          snapshot.notifications().getOrDefault(id, EMPTY),
          violations,
          state);
    }
    checkStock(
        snapshot.products(), snapshot.stockAdjustments(), snapshot.orders(), violations, state);
    checkBalances(
        customers,
        snapshot.lastResets(),
        snapshot.accounts(),
        snapshot.orders(),
        violations,
        state);
    return new Report(
        snapshot.orders().size(),
        snapshot.products().size(),
        customers.size(),
        byStatus,
        violations,
        state);
  }

  private static void checkOrder(
      JsonNode order,
      JsonNode payments,
      JsonNode notifications,
      List<Violation> violations,
      Map<String, String> state) {
    String id = order.get("orderId").asString();
    String subject = "order " + id;
    String status = order.get("status").asString();
    BigDecimal total = order.get("totalAmount").decimalValue();
    BigDecimal charged = BigDecimal.ZERO;
    BigDecimal refunded = BigDecimal.ZERO;
    int charges = 0;
    int refunds = 0;
    for (JsonNode payment : payments) {
      if (payment.get("type").asString().equals("CHARGE")) {
        charges++;
        charged = charged.add(payment.get("amount").decimalValue());
      } else {
        refunds++;
        refunded = refunded.add(payment.get("amount").decimalValue());
      }
    }
    state.put(
        subject + " payments",
        charges + " charges " + charged + ", " + refunds + " refunds " + refunded);
    switch (status) {
      case "CONFIRMED" -> {
        if (charges != 1 || charged.compareTo(total) != 0 || refunds != 0) {
          violations.add(
              new Violation(
                  3,
                  subject,
                  "confirmed with total "
                      + total
                      + " but "
                      + charges
                      + " charges of "
                      + charged
                      + " and "
                      + refunds
                      + " refunds"));
        }
      }
      case "CANCELLED" -> {
        if (charged.compareTo(refunded) != 0) {
          violations.add(
              new Violation(
                  3, subject, "cancelled but charged " + charged + " and refunded " + refunded));
        }
      }
      default -> violations.add(new Violation(1, subject, "not terminal: " + status));
    }
    List<String> outcomes = new ArrayList<>();
    boolean allSent = true;
    for (JsonNode notification : notifications) {
      outcomes.add(notification.get("outcome").asString());
      // A mail the server refused for good (status REJECTED) is done too: it is never sent.
      allSent &=
          !notification.path("sentAt").isNull() && !notification.path("sentAt").isMissingNode()
              || notification.path("status").asString("").equals("REJECTED");
    }
    state.put(subject + " notifications", outcomes.toString());
    if (!status.equals("PENDING") && (!outcomes.equals(List.of(status)) || !allSent)) {
      violations.add(
          new Violation(
              4,
              subject,
              status + " but notifications " + outcomes + (allSent ? "" : " (not all sent)")));
    }
  }

  private static void checkStock(
      List<JsonNode> products,
      Map<String, Long> adjustments,
      List<JsonNode> orders,
      List<Violation> violations,
      Map<String, String> state) {
    Map<String, Long> confirmedQuantities = new HashMap<>();
    for (JsonNode order : orders) {
      if (order.get("status").asString().equals("CONFIRMED")) {
        for (JsonNode item : order.get("items")) {
          confirmedQuantities.merge(
              item.get("productId").asString(), item.get("quantity").asLong(), Long::sum);
        }
      }
    }
    for (JsonNode product : products) {
      String id = product.get("productId").asString();
      String subject = "product " + id;
      long available = product.get("available").asLong();
      long reserved = product.get("reserved").asLong();
      long sold = product.get("sold").asLong();
      long adjusted = adjustments.getOrDefault(id, 0L);
      state.put(subject, available + " available, " + reserved + " reserved, " + sold + " sold");
      if (adjusted != available + reserved + sold) {
        violations.add(
            new Violation(
                2,
                subject,
                "stock adjustments sum to "
                    + adjusted
                    + " but available + reserved + sold = "
                    + (available + reserved + sold)));
      }
      if (reserved != 0) {
        violations.add(new Violation(2, subject, reserved + " still reserved"));
      }
      if (available < 0) {
        violations.add(new Violation(2, subject, "oversold: available " + available));
      }
      long confirmed = confirmedQuantities.getOrDefault(id, 0L);
      if (sold != confirmed) {
        violations.add(
            new Violation(2, subject, "sold " + sold + " but confirmed orders hold " + confirmed));
      }
    }
  }

  private static void checkBalances(
      Collection<String> customers,
      Map<String, Reset> resets,
      Map<String, JsonNode> accounts,
      List<JsonNode> orders,
      List<Violation> violations,
      Map<String, String> state) {
    for (String customer : customers) {
      String subject = "customer " + customer;
      Reset reset = resets.get(customer);
      List<JsonNode> confirmed =
          orders.stream()
              .filter(order -> order.get("customerId").asString().equals(customer))
              .filter(order -> order.get("status").asString().equals("CONFIRMED"))
              .toList();
      if (reset == null) {
        if (!confirmed.isEmpty()) {
          violations.add(
              new Violation(3, subject, confirmed.size() + " confirmed orders but no account"));
        }
        continue;
      }
      JsonNode account = accounts.get(customer);
      if (account == null || account.path("balance").isMissingNode()) {
        violations.add(new Violation(3, subject, "an account was set but the API has none"));
        continue;
      }
      BigDecimal balance = account.get("balance").decimalValue();
      state.put(subject, balance.toPlainString());
      BigDecimal spent =
          confirmed.stream()
              .filter(order -> Instant.parse(order.get("createdAt").asString()).isAfter(reset.at()))
              .map(order -> order.get("totalAmount").decimalValue())
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal expected = reset.balance().subtract(spent);
      if (balance.compareTo(expected) != 0) {
        violations.add(
            new Violation(
                3,
                subject,
                "balance "
                    + balance
                    + " but last PUT "
                    + reset.balance()
                    + " − confirmed orders since "
                    + spent
                    + " = "
                    + expected));
      }
      if (balance.signum() < 0) {
        violations.add(new Violation(3, subject, "negative balance " + balance));
      }
    }
  }

  /** {@code call} for each key, at most {@value #PARALLEL_REQUESTS} at a time. */
  private static <K, V> Map<K, V> parallel(Collection<K> keys, Function<K, V> call) {
    Map<K, Future<V>> futures = new HashMap<>();
    Map<K, V> results = new ConcurrentHashMap<>();
    try (ExecutorService executor = Executors.newFixedThreadPool(PARALLEL_REQUESTS)) {
      for (K key : keys) {
        futures.put(key, executor.submit(() -> call.apply(key)));
      }
      for (var entry : futures.entrySet()) {
        results.put(entry.getKey(), entry.getValue().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("A request of the check failed", e.getCause());
    }
    return results;
  }

  private static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
