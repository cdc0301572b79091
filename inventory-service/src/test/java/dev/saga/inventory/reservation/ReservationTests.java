package dev.saga.inventory.reservation;

import static dev.saga.inventory.reservation.ReservationTests.Event.CANCELLED;
import static dev.saga.inventory.reservation.ReservationTests.Event.CONFIRMED;
import static dev.saga.inventory.reservation.ReservationTests.Event.PLACED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.InventoryUpdated.Reason;
import dev.saga.events.InventoryUpdated.Status;
import dev.saga.events.OrderPlaced;
import dev.saga.inventory.product.Product;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ReservationTests {

  private static final String CUSTOMER = "C-1";
  private static final int ORDERED = 3;

  private final UUID orderId = UUID.randomUUID();
  private final Reservation reservation = new Reservation(orderId, Instant.now());

  // --- Placement: every line or none ---

  @Test
  void reservesEveryLineWhenEveryProductHasTheStock() {
    Product pen = product("P-pen", 10, true);
    Product ink = product("P-ink", 2, true);

    Optional<InventoryUpdated> event =
        reservation.place(order(orderId, line("P-pen", 3), line("P-ink", 2)), products(pen, ink));

    assertThat(event)
        .contains(InventoryUpdated.reserved(orderId, CUSTOMER, new BigDecimal("10.00"), "EUR"));
    assertThat(reservation.getStatus()).isEqualTo(ReservationStatus.RESERVED);
    assertThat(reservation.getCustomerId()).isEqualTo(CUSTOMER);
    assertThat(stock(pen)).containsExactly(7, 3, 0);
    assertThat(stock(ink)).containsExactly(0, 2, 0);
    assertThat(reservation.heldProductIds()).containsExactlyInAnyOrder("P-pen", "P-ink");
  }

  @Test
  void sumsTheQuantitiesOfAProductOrderedOnTwoLines() {
    Product pen = product("P-pen", 5, true);

    reservation.place(order(orderId, line("P-pen", 2), line("P-pen", 3)), products(pen));

    assertThat(reservation.getLines()).containsExactly(new ReservationLine("P-pen", 5));
    assertThat(stock(pen)).containsExactly(0, 5, 0);
  }

  @Test
  void checksTheSummedQuantityAgainstTheStock() {
    Product pen = product("P-pen", 5, true);

    Optional<InventoryUpdated> event =
        reservation.place(order(orderId, line("P-pen", 3), line("P-pen", 3)), products(pen));

    assertThat(event).contains(InventoryUpdated.rejected(orderId, Reason.OUT_OF_STOCK));
    assertThat(stock(pen)).containsExactly(5, 0, 0);
  }

  @Test
  void rejectsAnOrderWithAnUnknownProductAndHoldsNothingOfTheOthers() {
    Product pen = product("P-pen", 10, true);

    Optional<InventoryUpdated> event =
        reservation.place(order(orderId, line("P-pen", 1), line("P-gone", 1)), products(pen));

    assertThat(event).contains(InventoryUpdated.rejected(orderId, Reason.UNKNOWN_PRODUCT));
    assertThat(reservation.getStatus()).isEqualTo(ReservationStatus.REJECTED);
    assertThat(reservation.getRejectionReason()).contains(Reason.UNKNOWN_PRODUCT);
    assertThat(reservation.heldProductIds()).isEmpty();
    assertThat(stock(pen)).containsExactly(10, 0, 0);
  }

  @Test
  void treatsAnInactiveProductAsUnknown() {
    Product retired = product("P-retired", 10, false);

    Optional<InventoryUpdated> event =
        reservation.place(order(orderId, line("P-retired", 1)), products(retired));

    assertThat(event).contains(InventoryUpdated.rejected(orderId, Reason.UNKNOWN_PRODUCT));
    assertThat(stock(retired)).containsExactly(10, 0, 0);
  }

  @Test
  void rejectsAnOrderOneProductCannotSupplyAndHoldsNothingOfTheOthers() {
    Product pen = product("P-pen", 10, true);
    Product ink = product("P-ink", 1, true);

    Optional<InventoryUpdated> event =
        reservation.place(order(orderId, line("P-pen", 4), line("P-ink", 2)), products(pen, ink));

    assertThat(event).contains(InventoryUpdated.rejected(orderId, Reason.OUT_OF_STOCK));
    assertThat(reservation.getRejectionReason()).contains(Reason.OUT_OF_STOCK);
    assertThat(stock(pen)).containsExactly(10, 0, 0);
    assertThat(stock(ink)).containsExactly(1, 0, 0);
  }

  @Test
  void reportsAnUnknownProductRatherThanShortStock() {
    Product ink = product("P-ink", 0, true);

    Optional<InventoryUpdated> event =
        reservation.place(order(orderId, line("P-ink", 1), line("P-gone", 1)), products(ink));

    assertThat(event).contains(InventoryUpdated.rejected(orderId, Reason.UNKNOWN_PRODUCT));
  }

  @Test
  void refusesAnEventOfAnotherOrder() {
    Product pen = product("P-pen", 10, true);

    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> reservation.place(order(UUID.randomUUID(), line("P-pen", 1)), products(pen)));
    assertThat(reservation.getStatus()).isEqualTo(ReservationStatus.NEW);
  }

  // --- Each event in each state ---

  /** The order service's events, as the inventory receives them. */
  enum Event {
    PLACED,
    CANCELLED,
    CONFIRMED
  }

  @ParameterizedTest(name = "{1} when {0}: {2}, announces {3}")
  @CsvSource({
    "NEW,       PLACED,    RESERVED,  RESERVED",
    "NEW,       CANCELLED, CANCELLED, nothing",
    "NEW,       CONFIRMED, NEW,       impossible",
    "RESERVED,  PLACED,    RESERVED,  nothing",
    "RESERVED,  CANCELLED, RELEASED,  RELEASED",
    "RESERVED,  CONFIRMED, COMMITTED, COMMITTED",
    "REJECTED,  PLACED,    REJECTED,  nothing",
    "REJECTED,  CANCELLED, REJECTED,  nothing",
    "REJECTED,  CONFIRMED, REJECTED,  impossible",
    "RELEASED,  PLACED,    RELEASED,  nothing",
    "RELEASED,  CANCELLED, RELEASED,  nothing",
    "RELEASED,  CONFIRMED, RELEASED,  impossible",
    "COMMITTED, PLACED,    COMMITTED, nothing",
    "COMMITTED, CANCELLED, COMMITTED, impossible",
    "COMMITTED, CONFIRMED, COMMITTED, nothing",
    "CANCELLED, PLACED,    CANCELLED, nothing",
    "CANCELLED, CANCELLED, CANCELLED, nothing",
    "CANCELLED, CONFIRMED, CANCELLED, impossible"
  })
  void appliesEachEventInEachState(
      ReservationStatus state, Event event, ReservationStatus next, String announced) {
    Saga saga = Saga.in(state);
    Integer[] stockBefore = stock(saga.product);

    if (announced.equals("impossible")) {
      assertThatExceptionOfType(ImpossibleEventException.class).isThrownBy(() -> saga.apply(event));
      assertThat(stock(saga.product)).containsExactly(stockBefore);
    } else if (announced.equals("nothing")) {
      assertThat(saga.apply(event)).isEmpty();
      assertThat(stock(saga.product)).containsExactly(stockBefore);
    } else {
      assertThat(saga.apply(event))
          .get()
          .extracting(InventoryUpdated::status)
          .isEqualTo(Status.valueOf(announced));
    }
    assertThat(saga.reservation.getStatus()).isEqualTo(next);
    saga.assertStockMatchesStatus();
  }

  // --- Interleavings, duplicates included ---

  @Test
  void holdsNothingForAnOrderCancelledBeforeItWasPlaced() {
    Saga saga = new Saga(10);

    saga.apply(CANCELLED);
    Optional<InventoryUpdated> placement = saga.apply(PLACED);

    assertThat(placement).isEmpty();
    assertThat(saga.reservation.getStatus()).isEqualTo(ReservationStatus.CANCELLED);
    assertThat(stock(saga.product)).containsExactly(10, 0, 0);
  }

  @Test
  void reservesOnceWhenThePlacementIsDeliveredAgain() {
    Saga saga = new Saga(10);

    saga.apply(PLACED);
    saga.apply(PLACED);

    assertThat(saga.statuses()).containsExactly(Status.RESERVED);
    assertThat(stock(saga.product)).containsExactly(7, 3, 0);
  }

  @Test
  void sellsOnceWhenTheConfirmationIsDeliveredAgain() {
    Saga saga = new Saga(10);

    saga.apply(PLACED);
    saga.apply(CONFIRMED);
    saga.apply(CONFIRMED);

    assertThat(saga.statuses()).containsExactly(Status.RESERVED, Status.COMMITTED);
    assertThat(stock(saga.product)).containsExactly(7, 0, 3);
  }

  @Test
  void releasesOnceWhenTheCancellationIsDeliveredAgain() {
    Saga saga = new Saga(10);

    saga.apply(PLACED);
    saga.apply(CANCELLED);
    saga.apply(CANCELLED);

    assertThat(saga.statuses()).containsExactly(Status.RESERVED, Status.RELEASED);
    assertThat(stock(saga.product)).containsExactly(10, 0, 0);
  }

  static Stream<List<Event>> interleavings() {
    List<List<Event>> sequences = new ArrayList<>();
    sequences.add(List.of());
    List<List<Event>> all = new ArrayList<>();
    for (int length = 1; length <= 5; length++) {
      List<List<Event>> longer = new ArrayList<>();
      for (List<Event> sequence : sequences) {
        for (Event event : Event.values()) {
          List<Event> next = new ArrayList<>(sequence);
          next.add(event);
          longer.add(next);
        }
      }
      all.addAll(longer);
      sequences = longer;
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("interleavings")
  void everyInterleavingConservesStockAndAnnouncesOneLifecycle(List<Event> events) {
    Saga saga = new Saga(10);

    for (Event event : events) {
      ReservationStatus before = saga.reservation.getStatus();
      Integer[] stockBefore = stock(saga.product);
      try {
        saga.apply(event);
      } catch (ImpossibleEventException e) {
        // Dead-lettered: the transaction rolls back, so the event must have changed nothing.
        assertThat(saga.reservation.getStatus()).isEqualTo(before);
        assertThat(stock(saga.product)).containsExactly(stockBefore);
      }
      saga.assertStockMatchesStatus();
    }

    List<Status> statuses = saga.statuses();
    assertThat(statuses)
        .isIn(
            List.of(),
            List.of(Status.RESERVED),
            List.of(Status.RESERVED, Status.RELEASED),
            List.of(Status.RESERVED, Status.COMMITTED));
    int placed = events.indexOf(PLACED);
    int cancelled = events.indexOf(CANCELLED);
    if (placed < 0 || (cancelled >= 0 && cancelled < placed)) {
      assertThat(statuses)
          .as("nothing is held for an order cancelled before it was placed")
          .isEmpty();
      return;
    }
    assertThat(statuses).first().isEqualTo(Status.RESERVED);
    Optional<Event> outcome =
        events.subList(placed, events.size()).stream().filter(e -> e != PLACED).findFirst();
    outcome.ifPresent(
        first ->
            assertThat(statuses)
                .as("the first outcome after the placement decides")
                .last()
                .isEqualTo(first == CANCELLED ? Status.RELEASED : Status.COMMITTED));
  }

  /** One order of {@value #ORDERED} of a product, driven through its events as the service does. */
  private static final class Saga {

    final UUID orderId = UUID.randomUUID();
    final Reservation reservation = new Reservation(orderId, Instant.now());
    final Product product;
    final int stock;
    final List<InventoryUpdated> announced = new ArrayList<>();

    Saga(int stock) {
      this.stock = stock;
      this.product = product("P-1", stock, true);
    }

    /** A saga whose reservation is in {@code state}: short stock makes the rejected one. */
    static Saga in(ReservationStatus state) {
      Saga saga =
          switch (state) {
            case NEW -> new Saga(10);
            case RESERVED -> new Saga(10).after(PLACED);
            case REJECTED -> new Saga(ORDERED - 1).after(PLACED);
            case RELEASED -> new Saga(10).after(PLACED, CANCELLED);
            case COMMITTED -> new Saga(10).after(PLACED, CONFIRMED);
            case CANCELLED -> new Saga(10).after(CANCELLED);
          };
      assertThat(saga.reservation.getStatus()).isEqualTo(state);
      return saga;
    }

    Saga after(Event... events) {
      Arrays.stream(events).forEach(this::apply);
      return this;
    }

    /** Locks (passes) only the products the service would lock for the event. */
    Optional<InventoryUpdated> apply(Event event) {
      Map<String, Product> all = Map.of(product.getId(), product);
      Optional<InventoryUpdated> result =
          switch (event) {
            case PLACED ->
                reservation.place(
                    order(orderId, line(product.getId(), ORDERED)),
                    reservation.awaitsPlacement() ? all : Map.of());
            case CANCELLED -> reservation.cancel(CUSTOMER, held(all));
            case CONFIRMED -> reservation.confirm(held(all));
          };
      result.ifPresent(announced::add);
      return result;
    }

    private Map<String, Product> held(Map<String, Product> all) {
      Map<String, Product> held = new HashMap<>(all);
      held.keySet().retainAll(reservation.heldProductIds());
      return held;
    }

    List<Status> statuses() {
      return announced.stream().map(InventoryUpdated::status).toList();
    }

    void assertStockMatchesStatus() {
      int reserved = reservation.getStatus() == ReservationStatus.RESERVED ? ORDERED : 0;
      int sold = reservation.getStatus() == ReservationStatus.COMMITTED ? ORDERED : 0;
      assertThat(stock(product)).containsExactly(stock - reserved - sold, reserved, sold);
    }
  }

  private static Product product(String id, int stock, boolean active) {
    Product product = new Product(id, Instant.now());
    product.define("Product " + id, new BigDecimal("2.00"), "EUR", active, stock);
    return product;
  }

  private static Map<String, Product> products(Product... products) {
    Map<String, Product> byId = new HashMap<>();
    Arrays.stream(products).forEach(product -> byId.put(product.getId(), product));
    return Collections.unmodifiableMap(byId);
  }

  private static OrderPlaced.Line line(String productId, int quantity) {
    return new OrderPlaced.Line(productId, quantity, new BigDecimal("2.00"));
  }

  private static OrderPlaced order(UUID orderId, OrderPlaced.Line... lines) {
    BigDecimal total =
        Arrays.stream(lines)
            .map(line -> line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    return new OrderPlaced(orderId, CUSTOMER, List.of(lines), total, "EUR");
  }

  private static Integer[] stock(Product product) {
    return new Integer[] {product.getAvailable(), product.getReserved(), product.getSold()};
  }
}
