package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.saga.load.InvariantChecker.Report;
import dev.saga.load.InvariantChecker.Snapshot;
import dev.saga.load.ReadOnlyQueries.Reset;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invariant logic on crafted answers of the APIs and the read-only queries: a consistent system
 * passes, and each kind of damage is reported with its subject.
 */
class InvariantCheckerTests {

  private static final JsonMapper JSON = new SagaApi().json();
  private static final Instant RESET_AT = Instant.parse("2026-11-01T10:00:00Z");
  private static final String CONFIRMED = "11111111-1111-1111-1111-111111111111";
  private static final String CANCELLED = "22222222-2222-2222-2222-222222222222";

  /** A quiet, consistent system: C-1 had 100.00, bought 2 × P-1 at 10.00; a second order failed. */
  private final List<JsonNode> orders = new ArrayList<>();

  private final Map<String, JsonNode> payments = new HashMap<>();
  private final Map<String, JsonNode> notifications = new HashMap<>();
  private final List<JsonNode> products = new ArrayList<>();
  private final Map<String, Long> adjustments = new HashMap<>(Map.of("P-1", 10L));
  private final Map<String, Reset> resets =
      new HashMap<>(Map.of("C-1", new Reset(new BigDecimal("100.00"), RESET_AT)));
  private final Map<String, JsonNode> accounts = new HashMap<>();

  InvariantCheckerTests() {
    orders.add(order(CONFIRMED, "CONFIRMED", "20.00", 2));
    orders.add(order(CANCELLED, "CANCELLED", "30.00", 3));
    payments.put(CONFIRMED, json("[{\"type\": \"CHARGE\", \"amount\": 20.00}]"));
    payments.put(
        CANCELLED,
        json(
            "[{\"type\": \"CHARGE\", \"amount\": 30.00}, {\"type\": \"REFUND\", \"amount\": 30.00}]"));
    notifications.put(CONFIRMED, notification("CONFIRMED"));
    notifications.put(CANCELLED, notification("CANCELLED"));
    products.add(product("P-1", 8, 0, 2));
    accounts.put("C-1", json("{\"customerId\": \"C-1\", \"balance\": 80.00}"));
  }

  @Test
  void findsNothingWrongWithAConsistentSystem() {
    Report report = check();

    assertThat(report.violations()).isEmpty();
    assertThat(report.orders()).isEqualTo(2);
    assertThat(report.ordersByStatus()).containsEntry("CONFIRMED", 1).containsEntry("CANCELLED", 1);
    assertThat(report.customers()).isEqualTo(1);
  }

  @Test
  void reportsAnOrderThatIsStillPending() {
    orders.set(1, order(CANCELLED, "PENDING", "30.00", 3));
    payments.put(CANCELLED, json("[]"));
    notifications.put(CANCELLED, json("[]"));

    assertThat(check().violations())
        .extracting(Violation::invariant, Violation::subject)
        .containsExactly(tuple(1, "order " + CANCELLED));
  }

  @Test
  void reportsStockThatIsOversoldStillReservedOrNotConserved() {
    products.set(0, product("P-1", -1, 1, 2));

    assertThat(check().violations())
        .extracting(Violation::invariant, Violation::subject, Violation::message)
        .containsExactlyInAnyOrder(
            tuple(
                2,
                "product P-1",
                "stock adjustments sum to 10 but available + reserved + sold = 2"),
            tuple(2, "product P-1", "1 still reserved"),
            tuple(2, "product P-1", "oversold: available -1"));
  }

  @Test
  void reportsStockSoldWithoutAConfirmedOrder() {
    products.set(0, product("P-1", 7, 0, 3));

    assertThat(check().violations())
        .singleElement()
        .satisfies(
            violation -> {
              assertThat(violation.invariant()).isEqualTo(2);
              assertThat(violation.message()).isEqualTo("sold 3 but confirmed orders hold 2");
            });
  }

  @Test
  void reportsAConfirmedOrderChargedTwiceAndTheBalanceItBroke() {
    payments.put(
        CONFIRMED,
        json(
            "[{\"type\": \"CHARGE\", \"amount\": 20.00}, {\"type\": \"CHARGE\", \"amount\": 20.00}]"));
    accounts.put("C-1", json("{\"customerId\": \"C-1\", \"balance\": 60.00}"));

    assertThat(check().violations())
        .extracting(Violation::invariant, Violation::subject)
        .containsExactlyInAnyOrder(tuple(3, "order " + CONFIRMED), tuple(3, "customer C-1"));
  }

  @Test
  void reportsACancelledOrderThatKeptItsCharge() {
    payments.put(CANCELLED, json("[{\"type\": \"CHARGE\", \"amount\": 30.00}]"));

    assertThat(check().violations())
        .singleElement()
        .satisfies(
            violation -> {
              assertThat(violation.invariant()).isEqualTo(3);
              assertThat(violation.subject()).isEqualTo("order " + CANCELLED);
              assertThat(violation.message()).contains("charged 30.00 and refunded 0");
            });
  }

  @Test
  void countsOnlyOrdersPlacedAfterTheLastResetAgainstTheBalance() {
    orders.set(0, order(CONFIRMED, "CONFIRMED", "20.00", 2, RESET_AT.minusSeconds(60)));
    accounts.put("C-1", json("{\"customerId\": \"C-1\", \"balance\": 100.00}"));

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void reportsANegativeBalance() {
    resets.put("C-1", new Reset(new BigDecimal("-5.00"), RESET_AT.minusSeconds(3600)));
    orders.set(0, order(CONFIRMED, "CONFIRMED", "20.00", 2, RESET_AT.minusSeconds(7200)));
    accounts.put("C-1", json("{\"customerId\": \"C-1\", \"balance\": -5.00}"));

    assertThat(check().violations())
        .extracting(Violation::message)
        .containsExactly("negative balance -5.00");
  }

  @Test
  void reportsAMissingADuplicateAndAWrongNotification() {
    notifications.put(CONFIRMED, json("[]"));
    notifications.put(
        CANCELLED,
        json(
            "[{\"outcome\": \"CONFIRMED\", \"sentAt\": \"2026-11-01T10:00:01Z\"},"
                + " {\"outcome\": \"CANCELLED\", \"sentAt\": \"2026-11-01T10:00:01Z\"}]"));

    assertThat(check().violations())
        .extracting(Violation::invariant, Violation::message)
        .containsExactlyInAnyOrder(
            tuple(4, "CONFIRMED but notifications []"),
            tuple(4, "CANCELLED but notifications [CONFIRMED, CANCELLED]"));
  }

  @Test
  void reportsANotificationThatWasNeverSent() {
    notifications.put(CONFIRMED, json("[{\"outcome\": \"CONFIRMED\", \"sentAt\": null}]"));

    assertThat(check().violations())
        .extracting(Violation::message)
        .containsExactly("CONFIRMED but notifications [CONFIRMED] (not all sent)");
  }

  @Test
  void acceptsANotificationWhoseRecipientTheMailServerRefusedForGood() {
    notifications.put(
        CONFIRMED,
        json("[{\"outcome\": \"CONFIRMED\", \"status\": \"REJECTED\", \"sentAt\": null}]"));

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void reportsEverythingAReplayChanged() {
    Map<String, String> before = check().state();
    payments.put(
        CONFIRMED,
        json(
            "[{\"type\": \"CHARGE\", \"amount\": 20.00}, {\"type\": \"CHARGE\", \"amount\": 20.00}]"));
    accounts.put("C-1", json("{\"customerId\": \"C-1\", \"balance\": 60.00}"));
    Map<String, String> after = check().state();

    assertThat(InvariantChecker.compare(before, after))
        .extracting(Violation::invariant, Violation::subject, Violation::message)
        .containsExactlyInAnyOrder(
            tuple(
                5,
                "order " + CONFIRMED,
                "order "
                    + CONFIRMED
                    + " payments was 1 charges 20.00, 0 refunds 0, is 2 charges 40.00, 0 refunds 0"),
            tuple(5, "customer C-1", "customer C-1 was 80.00, is 60.00"));
    assertThat(InvariantChecker.compare(before, before)).isEmpty();
  }

  @Test
  void printsAViolationWithItsInvariantAndSubject() {
    assertThat(new Violation(3, "order 42", "charged twice"))
        .hasToString("VIOLATION of invariant 3 (order 42): charged twice");
  }

  private Report check() {
    return InvariantChecker.evaluate(
        new Snapshot(orders, payments, notifications, products, adjustments, resets, accounts));
  }

  private static JsonNode order(String id, String status, String total, int quantity) {
    return order(id, status, total, quantity, RESET_AT.plusSeconds(60));
  }

  private static JsonNode order(
      String id, String status, String total, int quantity, Instant createdAt) {
    return json(
        """
        {"orderId": "%s", "customerId": "C-1", "status": "%s", "totalAmount": %s,
         "createdAt": "%s", "items": [{"productId": "P-1", "quantity": %d, "unitPrice": 10.00}]}
        """
            .formatted(id, status, total, createdAt, quantity));
  }

  private static JsonNode notification(String outcome) {
    return json("[{\"outcome\": \"%s\", \"sentAt\": \"2026-11-01T10:00:01Z\"}]".formatted(outcome));
  }

  private static JsonNode product(String id, long available, long reserved, long sold) {
    return json(
        """
        {"productId": "%s", "available": %d, "reserved": %d, "sold": %d}
        """
            .formatted(id, available, reserved, sold));
  }

  private static JsonNode json(String text) {
    return JSON.readTree(text);
  }
}
