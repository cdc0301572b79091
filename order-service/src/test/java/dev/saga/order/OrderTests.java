package dev.saga.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.saga.events.CancelOrder;
import dev.saga.events.EventType;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderEvent;
import dev.saga.events.OrderPlaced;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.SagaEvent;
import dev.saga.messaging.EventEnvelope;
import dev.saga.order.timeline.TimelineEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The order's state machine: the outcome is decided once, whatever arrives in whatever order; and
 * its history, read from the events the service recorded for it.
 */
class OrderTests {

  private static final UUID ORDER_ID = UUID.randomUUID();
  private static final String CUSTOMER = "C-1";
  private static final Instant PLACED_AT = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void placesAPendingOrderPricedFromItsLines() {
    Order.Placement placement =
        Order.place(
            ORDER_ID,
            CUSTOMER,
            List.of(
                new OrderLine("P-1", 2, new BigDecimal("10.00")),
                new OrderLine("P-2", 3, new BigDecimal("0.35"))),
            "EUR",
            PLACED_AT);

    Order order = placement.order();
    assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(order.totalAmount()).isEqualByComparingTo("21.05");
    assertThat(order.createdAt()).isEqualTo(PLACED_AT);
    assertThat(order.updatedAt()).isEqualTo(PLACED_AT);
    assertThat(order.cancellationReason()).isEmpty();
    assertThat(placement.event())
        .isEqualTo(
            new OrderPlaced(
                ORDER_ID,
                CUSTOMER,
                List.of(
                    new OrderPlaced.Line("P-1", 2, new BigDecimal("10.00")),
                    new OrderPlaced.Line("P-2", 3, new BigDecimal("0.35"))),
                new BigDecimal("21.05"),
                "EUR"));
  }

  @Test
  void refusesAnOrderWithoutLinesOrWithAProductTwice() {
    assertThatThrownBy(() -> Order.place(ORDER_ID, CUSTOMER, List.of(), "EUR", PLACED_AT))
        .isInstanceOf(IllegalArgumentException.class);
    OrderLine line = new OrderLine("P-1", 1, BigDecimal.ONE);
    assertThatThrownBy(() -> Order.place(ORDER_ID, CUSTOMER, List.of(line, line), "EUR", PLACED_AT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void confirmsWhenThePaymentSucceeds() {
    Order order = pendingOrder();
    Instant at = PLACED_AT.plusSeconds(1);

    Optional<OrderEvent> event = order.on(payment(PaymentProcessed.Status.SUCCEEDED, null), at);

    assertThat(event).contains(new OrderConfirmed(ORDER_ID, CUSTOMER, order.totalAmount(), "EUR"));
    assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
    assertThat(order.updatedAt()).isEqualTo(at);
  }

  @Test
  void readsItsHistoryFromTheRecordedEventsStatusChangesAtTheOrdersOwnTimes() {
    Order.Placement placement =
        Order.place(
            ORDER_ID, CUSTOMER, List.of(new OrderLine("P-1", 1, BigDecimal.TEN)), "EUR", PLACED_AT);
    Order order = placement.order();
    InventoryUpdated reserved =
        InventoryUpdated.reserved(ORDER_ID, CUSTOMER, BigDecimal.TEN, "EUR");
    PaymentProcessed charged = payment(PaymentProcessed.Status.SUCCEEDED, null);
    Instant confirmedAt = PLACED_AT.plusSeconds(3);
    OrderEvent confirmed = order.on(charged, confirmedAt).orElseThrow();
    order.on(reserved, PLACED_AT.plusSeconds(4));

    List<TimelineEntry> recorded =
        List.of(
            // Published a little after the order was created, in the same transaction.
            recorded(placement.event(), PLACED_AT.plusMillis(1)),
            // Consumed out of their publishing order: the history keeps the order of recording.
            recorded(charged, PLACED_AT.plusSeconds(2)),
            recorded(confirmed, confirmedAt.plusMillis(1)),
            recorded(reserved, PLACED_AT.plusSeconds(1)));

    assertThat(HistoryEntry.of(order, recorded))
        .containsExactly(
            new HistoryEntry(HistoryEntry.Kind.STATUS, "PENDING", PLACED_AT),
            new HistoryEntry(
                HistoryEntry.Kind.EVENT, "PaymentProcessed.SUCCEEDED", PLACED_AT.plusSeconds(2)),
            new HistoryEntry(HistoryEntry.Kind.STATUS, "CONFIRMED", confirmedAt),
            new HistoryEntry(
                HistoryEntry.Kind.EVENT, "InventoryUpdated.RESERVED", PLACED_AT.plusSeconds(1)));
  }

  @Test
  void namesAConsumedEventByItsStatusWithoutItsReason() {
    Order order = pendingOrder();
    InventoryUpdated rejected =
        InventoryUpdated.rejected(ORDER_ID, InventoryUpdated.Reason.UNKNOWN_PRODUCT);
    PaymentProcessed declined =
        payment(PaymentProcessed.Status.FAILED, PaymentProcessed.Reason.INSUFFICIENT_FUNDS);

    assertThat(
            HistoryEntry.of(
                order, List.of(recorded(rejected, later()), recorded(declined, later()))))
        .extracting(HistoryEntry::kind, HistoryEntry::name)
        .containsExactly(
            tuple(HistoryEntry.Kind.EVENT, "InventoryUpdated.REJECTED"),
            tuple(HistoryEntry.Kind.EVENT, "PaymentProcessed.FAILED"));
  }

  @ParameterizedTest
  @EnumSource(InventoryUpdated.Reason.class)
  void cancelsOutOfStockWhenTheReservationIsRejected(InventoryUpdated.Reason reason) {
    Order order = pendingOrder();

    Optional<OrderEvent> event = order.on(InventoryUpdated.rejected(ORDER_ID, reason), later());

    assertThat(event)
        .contains(new CancelOrder(ORDER_ID, CUSTOMER, CancelOrder.Reason.OUT_OF_STOCK));
    assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(order.cancellationReason()).contains(CancelOrder.Reason.OUT_OF_STOCK);
  }

  @ParameterizedTest
  @EnumSource(
      value = PaymentProcessed.Reason.class,
      names = {"INSUFFICIENT_FUNDS", "UNKNOWN_ACCOUNT"})
  void cancelsPaymentDeclinedWhenTheChargeFails(PaymentProcessed.Reason reason) {
    Order order = pendingOrder();

    Optional<OrderEvent> event = order.on(payment(PaymentProcessed.Status.FAILED, reason), later());

    assertThat(event)
        .contains(new CancelOrder(ORDER_ID, CUSTOMER, CancelOrder.Reason.PAYMENT_DECLINED));
    assertThat(order.cancellationReason()).contains(CancelOrder.Reason.PAYMENT_DECLINED);
  }

  @Test
  void eventsThatDecideNothingChangeNothing() {
    Order order = pendingOrder();

    List<Optional<OrderEvent>> events =
        List.of(
            order.on(
                InventoryUpdated.reserved(ORDER_ID, CUSTOMER, order.totalAmount(), "EUR"), later()),
            order.on(InventoryUpdated.released(ORDER_ID), later()),
            order.on(InventoryUpdated.committed(ORDER_ID), later()),
            order.on(
                payment(PaymentProcessed.Status.FAILED, PaymentProcessed.Reason.ORDER_CANCELLED),
                later()),
            order.on(payment(PaymentProcessed.Status.REFUNDED, null), later()));

    assertThat(events).allMatch(Optional::isEmpty);
    assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(order.updatedAt()).isEqualTo(PLACED_AT);
  }

  @Test
  void aLateSuccessfulChargeAfterTheDeadlineChangesNothing() {
    Order order = pendingOrder();
    assertThat(order.cancel(CancelOrder.Reason.TIMEOUT, later())).isPresent();

    Optional<OrderEvent> late =
        order.on(payment(PaymentProcessed.Status.SUCCEEDED, null), later().plusSeconds(1));

    assertThat(late).isEmpty();
    assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(order.cancellationReason()).contains(CancelOrder.Reason.TIMEOUT);
    assertThat(order.updatedAt()).isEqualTo(later());
  }

  @Test
  void aLateSuccessfulChargeAfterTheCustomerCancelledChangesNothing() {
    Order order = pendingOrder();
    assertThat(order.cancelByCustomer(later())).isPresent();

    Optional<OrderEvent> late = order.on(payment(PaymentProcessed.Status.SUCCEEDED, null), later());

    assertThat(late).isEmpty();
    assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(order.cancellationReason()).contains(CancelOrder.Reason.CUSTOMER_CANCELLED);
  }

  @Test
  void aDuplicateSuccessfulChargeConfirmsOnce() {
    Order order = pendingOrder();
    PaymentProcessed succeeded = payment(PaymentProcessed.Status.SUCCEEDED, null);

    assertThat(order.on(succeeded, later())).isPresent();
    assertThat(order.on(succeeded, later())).isEmpty();
    assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
  }

  @Test
  void aCustomerCancelsAPendingOrder() {
    Order order = pendingOrder();

    assertThat(order.cancelByCustomer(later()))
        .contains(new CancelOrder(ORDER_ID, CUSTOMER, CancelOrder.Reason.CUSTOMER_CANCELLED));
    assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
  }

  @Test
  void aCustomerCancellingACancelledOrderChangesNothing() {
    Order order = pendingOrder();
    order.on(InventoryUpdated.rejected(ORDER_ID, InventoryUpdated.Reason.OUT_OF_STOCK), later());

    assertThat(order.cancelByCustomer(later().plusSeconds(1))).isEmpty();
    assertThat(order.cancellationReason()).contains(CancelOrder.Reason.OUT_OF_STOCK);
    assertThat(order.updatedAt()).isEqualTo(later());
  }

  @Test
  void aCustomerCannotCancelAConfirmedOrder() {
    Order order = pendingOrder();
    order.confirm(later());

    assertThatThrownBy(() -> order.cancelByCustomer(later()))
        .isInstanceOf(OrderAlreadyConfirmedException.class);
    assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
  }

  @Test
  void refusesAnEventOfAnotherOrder() {
    Order order = pendingOrder();

    assertThatThrownBy(
            () ->
                order.on(
                    InventoryUpdated.rejected(
                        UUID.randomUUID(), InventoryUpdated.Reason.OUT_OF_STOCK),
                    later()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
  }

  /**
   * Every sequence of up to four things that can happen to an order, repetitions included (so every
   * duplicate, every cross-topic reordering and every late event): the first deciding step decides,
   * at most one outcome event is ever returned, and the history read from what the service records
   * (each consumed event, then the outcome it decided) holds every consumed event and the status
   * changes where they happened.
   */
  @Test
  void decidesTheOutcomeOnceInEveryInterleaving() {
    List<List<Step>> sequences = sequencesUpTo(4);
    assertThat(sequences).hasSize(14 + 14 * 14 + 14 * 14 * 14 + 14 * 14 * 14 * 14);
    for (List<Step> sequence : sequences) {
      checkAgainstModel(sequence);
    }
  }

  static Stream<List<Step>> successfulSagas() {
    return permutations(
        List.of(Step.RESERVED, Step.SUCCEEDED, Step.COMMITTED, Step.NOTIFIED_CONFIRMED));
  }

  @ParameterizedTest
  @MethodSource("successfulSagas")
  void confirmsOnceInEveryOrderOfASuccessfulSagasEvents(List<Step> sequence) {
    Run run = run(sequence);

    assertThat(run.outcomes()).containsExactly(outcome(Step.SUCCEEDED));
    assertThat(run.order().status()).isEqualTo(OrderStatus.CONFIRMED);
  }

  static Stream<List<Step>> compensatedSagas() {
    return permutations(
        List.of(
            Step.RESERVED,
            Step.TIMEOUT,
            Step.SUCCEEDED,
            Step.RELEASED,
            Step.REFUNDED,
            Step.NOTIFIED_CANCELLED));
  }

  @ParameterizedTest
  @MethodSource("compensatedSagas")
  void decidesOnceInEveryOrderOfARacingDeadlineAndCharge(List<Step> sequence) {
    Run run = run(sequence);

    Step first =
        sequence.indexOf(Step.TIMEOUT) < sequence.indexOf(Step.SUCCEEDED)
            ? Step.TIMEOUT
            : Step.SUCCEEDED;
    assertThat(run.outcomes()).containsExactly(outcome(first));
  }

  private static void checkAgainstModel(List<Step> sequence) {
    Run run = run(sequence);
    Order order = run.order();
    String description = sequence.toString();

    Step decisive = sequence.stream().filter(Step::decides).findFirst().orElse(null);
    assertThat(run.outcomes()).as(description).hasSizeLessThanOrEqualTo(1);
    if (decisive == null) {
      assertThat(run.outcomes()).as(description).isEmpty();
      assertThat(order.status()).as(description).isEqualTo(OrderStatus.PENDING);
      assertThat(order.cancellationReason()).as(description).isEmpty();
    } else {
      assertThat(run.outcomes()).as(description).containsExactly(outcome(decisive));
      assertThat(order.status())
          .as(description)
          .isEqualTo(decisive == Step.SUCCEEDED ? OrderStatus.CONFIRMED : OrderStatus.CANCELLED);
      assertThat(order.cancellationReason().orElse(null))
          .as(description)
          .isEqualTo(decisive.cancels);
    }
    boolean confirmed = decisive == Step.SUCCEEDED;
    int confirmedAt = confirmed ? sequence.indexOf(Step.SUCCEEDED) : -1;
    for (int i = 0; i < sequence.size(); i++) {
      boolean refused = sequence.get(i) == Step.CUSTOMER_CANCEL && confirmed && i > confirmedAt;
      assertThat(run.refusedCancels().contains(i))
          .as(description + " step " + i)
          .isEqualTo(refused);
    }
    assertThat(HistoryEntry.of(order, run.recorded()))
        .as(description)
        .extracting(HistoryEntry::name)
        .isEqualTo(expectedHistory(sequence, decisive));
  }

  private static List<String> expectedHistory(List<Step> sequence, Step decisive) {
    List<String> history = new ArrayList<>(List.of("PENDING"));
    boolean decided = false;
    for (Step step : sequence) {
      if (step.historyName != null) {
        history.add(step.historyName);
      }
      if (!decided && step == decisive) {
        history.add(step == Step.SUCCEEDED ? "CONFIRMED" : "CANCELLED");
        decided = true;
      }
    }
    return history;
  }

  private static OrderEvent outcome(Step decisive) {
    return decisive == Step.SUCCEEDED
        ? new OrderConfirmed(ORDER_ID, CUSTOMER, new BigDecimal("20.00"), "EUR")
        : new CancelOrder(ORDER_ID, CUSTOMER, decisive.cancels);
  }

  /** Applies the steps as the service does, and records what it would record on the timeline. */
  private static Run run(List<Step> sequence) {
    Order.Placement placement =
        Order.place(
            ORDER_ID,
            CUSTOMER,
            List.of(new OrderLine("P-1", 2, new BigDecimal("10.00"))),
            "EUR",
            PLACED_AT);
    Order order = placement.order();
    List<OrderEvent> outcomes = new ArrayList<>();
    List<Integer> refusedCancels = new ArrayList<>();
    List<TimelineEntry> recorded = new ArrayList<>(List.of(recorded(placement.event(), PLACED_AT)));
    Instant at = PLACED_AT;
    for (int i = 0; i < sequence.size(); i++) {
      at = at.plusMillis(10);
      Step step = sequence.get(i);
      if (step.event != null) {
        recorded.add(recorded(step.event, at));
      }
      try {
        Optional<? extends OrderEvent> outcome = step.apply(order, at);
        if (outcome.isPresent()) {
          outcomes.add(outcome.get());
          recorded.add(recorded(outcome.get(), at));
        }
      } catch (OrderAlreadyConfirmedException e) {
        refusedCancels.add(i);
      }
    }
    return new Run(order, outcomes, refusedCancels, recorded);
  }

  /** The timeline entry of {@code event}, written to its publisher's outbox at {@code time}. */
  private static TimelineEntry recorded(SagaEvent event, Instant time) {
    return TimelineEntry.of(
        new EventEnvelope(
            UUID.randomUUID(),
            EventType.of(event).wireName(),
            "/test",
            time,
            event.subject(),
            null),
        event);
  }

  private static List<List<Step>> sequencesUpTo(int length) {
    List<List<Step>> all = new ArrayList<>();
    List<List<Step>> previous = List.of(List.of());
    for (int i = 1; i <= length; i++) {
      List<List<Step>> next = new ArrayList<>();
      for (List<Step> prefix : previous) {
        for (Step step : Step.values()) {
          List<Step> sequence = new ArrayList<>(prefix);
          sequence.add(step);
          next.add(List.copyOf(sequence));
        }
      }
      all.addAll(next);
      previous = next;
    }
    return all;
  }

  private static Stream<List<Step>> permutations(List<Step> steps) {
    if (steps.isEmpty()) {
      return Stream.of(List.of());
    }
    return steps.stream()
        .flatMap(
            first -> {
              List<Step> rest = new ArrayList<>(steps);
              rest.remove(first);
              return permutations(rest)
                  .map(
                      tail -> {
                        List<Step> sequence = new ArrayList<>(List.of(first));
                        sequence.addAll(tail);
                        return List.copyOf(sequence);
                      });
            });
  }

  private static Order pendingOrder() {
    return Order.place(
            ORDER_ID,
            CUSTOMER,
            List.of(new OrderLine("P-1", 2, new BigDecimal("10.00"))),
            "EUR",
            PLACED_AT)
        .order();
  }

  private static Instant later() {
    return PLACED_AT.plusSeconds(1);
  }

  private static PaymentProcessed payment(
      PaymentProcessed.Status status, PaymentProcessed.Reason reason) {
    return new PaymentProcessed(
        ORDER_ID, UUID.randomUUID(), CUSTOMER, status, new BigDecimal("20.00"), "EUR", reason);
  }

  private static NotificationSent notification(NotificationSent.Outcome outcome) {
    return new NotificationSent(
        ORDER_ID, UUID.randomUUID(), outcome, CUSTOMER + "@example.com", "<m-1@example.com>");
  }

  /**
   * An order after a sequence of steps: the outcome events returned, the cancels refused, and the
   * events the service would have recorded for it.
   */
  private record Run(
      Order order,
      List<OrderEvent> outcomes,
      List<Integer> refusedCancels,
      List<TimelineEntry> recorded) {}

  /** Something that can happen to an order: a consumed event, the deadline, or the customer. */
  enum Step {
    RESERVED(
        "InventoryUpdated.RESERVED",
        null,
        InventoryUpdated.reserved(ORDER_ID, CUSTOMER, new BigDecimal("20.00"), "EUR")),
    REJECTED_OUT_OF_STOCK(
        "InventoryUpdated.REJECTED",
        CancelOrder.Reason.OUT_OF_STOCK,
        InventoryUpdated.rejected(ORDER_ID, InventoryUpdated.Reason.OUT_OF_STOCK)),
    REJECTED_UNKNOWN_PRODUCT(
        "InventoryUpdated.REJECTED",
        CancelOrder.Reason.OUT_OF_STOCK,
        InventoryUpdated.rejected(ORDER_ID, InventoryUpdated.Reason.UNKNOWN_PRODUCT)),
    RELEASED("InventoryUpdated.RELEASED", null, InventoryUpdated.released(ORDER_ID)),
    COMMITTED("InventoryUpdated.COMMITTED", null, InventoryUpdated.committed(ORDER_ID)),
    SUCCEEDED("PaymentProcessed.SUCCEEDED", null, payment(PaymentProcessed.Status.SUCCEEDED, null)),
    INSUFFICIENT_FUNDS(
        "PaymentProcessed.FAILED",
        CancelOrder.Reason.PAYMENT_DECLINED,
        payment(PaymentProcessed.Status.FAILED, PaymentProcessed.Reason.INSUFFICIENT_FUNDS)),
    UNKNOWN_ACCOUNT(
        "PaymentProcessed.FAILED",
        CancelOrder.Reason.PAYMENT_DECLINED,
        payment(PaymentProcessed.Status.FAILED, PaymentProcessed.Reason.UNKNOWN_ACCOUNT)),
    CHARGE_REFUSED_AS_CANCELLED(
        "PaymentProcessed.FAILED",
        null,
        payment(PaymentProcessed.Status.FAILED, PaymentProcessed.Reason.ORDER_CANCELLED)),
    REFUNDED("PaymentProcessed.REFUNDED", null, payment(PaymentProcessed.Status.REFUNDED, null)),
    NOTIFIED_CONFIRMED(
        "NotificationSent.CONFIRMED", null, notification(NotificationSent.Outcome.CONFIRMED)),
    NOTIFIED_CANCELLED(
        "NotificationSent.CANCELLED", null, notification(NotificationSent.Outcome.CANCELLED)),
    TIMEOUT(null, CancelOrder.Reason.TIMEOUT, null),
    CUSTOMER_CANCEL(null, CancelOrder.Reason.CUSTOMER_CANCELLED, null);

    /** The history entry a consumed event adds; {@code null} for the deadline and the customer. */
    final String historyName;

    /**
     * The cancellation this step decides on a pending order; {@code null} if it cancels nothing.
     */
    final CancelOrder.Reason cancels;

    /** The event consumed; {@code null} for the deadline and the customer. */
    final SagaEvent event;

    Step(String historyName, CancelOrder.Reason cancels, SagaEvent event) {
      this.historyName = historyName;
      this.cancels = cancels;
      this.event = event;
    }

    /** Whether this step decides the outcome of a pending order. */
    boolean decides() {
      return this == SUCCEEDED || cancels != null;
    }

    /** What the service does with this step: the order decides, or a notification is recorded. */
    Optional<? extends OrderEvent> apply(Order order, Instant at) {
      return switch (event) {
        case InventoryUpdated updated -> order.on(updated, at);
        case PaymentProcessed payment -> order.on(payment, at);
        case NotificationSent sent -> Optional.empty();
        case null ->
            this == TIMEOUT
                ? order.cancel(CancelOrder.Reason.TIMEOUT, at)
                : order.cancelByCustomer(at);
        default -> throw new IllegalStateException("Not consumed by the order service: " + event);
      };
    }
  }
}
