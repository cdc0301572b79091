package dev.saga.payment.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.saga.events.PaymentProcessed;
import dev.saga.events.PaymentProcessed.Reason;
import dev.saga.events.PaymentProcessed.Status;
import dev.saga.payment.account.Account;
import dev.saga.payment.account.Accounts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The per-order state machine, driven through every interleaving of its two events. */
class PaymentOrderTests {

  private static final String CUSTOMER = "C-1";
  private static final BigDecimal TOTAL = new BigDecimal("30.00");

  private final UUID orderId = UUID.randomUUID();
  private final PaymentOrder order = new PaymentOrder(orderId, CUSTOMER, "EUR");

  @Nested
  class WhenReservedFirst {

    @Test
    void chargesTheTotalWhenTheBalanceCoversIt() {
      FakeAccounts accounts = FakeAccounts.withBalance("100.00");

      PaymentProcessed outcome = order.reserved(TOTAL, accounts).orElseThrow();

      assertThat(outcome)
          .isEqualTo(
              new PaymentProcessed(
                  orderId, outcome.paymentId(), CUSTOMER, Status.SUCCEEDED, TOTAL, "EUR", null));
      assertThat(accounts.balance()).isEqualByComparingTo("70.00");
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.CHARGED);
      assertThat(order.payments())
          .singleElement()
          .satisfies(
              charge -> {
                assertThat(charge.paymentId()).isEqualTo(outcome.paymentId());
                assertThat(charge.type()).isEqualTo(Payment.Type.CHARGE);
                assertThat(charge.amount()).isEqualTo(TOTAL);
              });
    }

    @Test
    void chargesABalanceThatEqualsTheTotalToZero() {
      FakeAccounts accounts = FakeAccounts.withBalance("30.00");

      assertThat(order.reserved(TOTAL, accounts))
          .get()
          .returns(Status.SUCCEEDED, PaymentProcessed::status);
      assertThat(accounts.balance()).isEqualByComparingTo("0.00");
    }

    @Test
    void declinesWhenTheBalanceFallsShortByOneCent() {
      FakeAccounts accounts = FakeAccounts.withBalance("29.99");

      PaymentProcessed outcome = order.reserved(TOTAL, accounts).orElseThrow();

      assertThat(outcome.status()).isEqualTo(Status.FAILED);
      assertThat(outcome.reason()).isEqualTo(Reason.INSUFFICIENT_FUNDS);
      assertThat(outcome.amount()).isEqualTo(TOTAL);
      assertThat(outcome.customerId()).isEqualTo(CUSTOMER);
      assertThat(accounts.balance()).isEqualByComparingTo("29.99");
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.DECLINED);
      assertThat(order.declineReason()).contains(Reason.INSUFFICIENT_FUNDS);
      assertThat(order.payments()).isEmpty();
    }

    @Test
    void declinesWhenTheCustomerHasNoAccount() {
      PaymentProcessed outcome = order.reserved(TOTAL, FakeAccounts.none()).orElseThrow();

      assertThat(outcome.status()).isEqualTo(Status.FAILED);
      assertThat(outcome.reason()).isEqualTo(Reason.UNKNOWN_ACCOUNT);
      assertThat(order.payments()).isEmpty();
    }

    @Test
    void refundsTheChargeWhenCancelledAfterwards() {
      FakeAccounts accounts = FakeAccounts.withBalance("100.00");
      PaymentProcessed charge = order.reserved(TOTAL, accounts).orElseThrow();

      PaymentProcessed refund = order.cancelled(accounts).orElseThrow();

      assertThat(refund)
          .isEqualTo(
              new PaymentProcessed(
                  orderId, refund.paymentId(), CUSTOMER, Status.REFUNDED, TOTAL, "EUR", null));
      assertThat(refund.paymentId()).isNotEqualTo(charge.paymentId());
      assertThat(accounts.balance()).isEqualByComparingTo("100.00");
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.REFUNDED);
      assertThat(order.payments())
          .extracting(Payment::type, Payment::amount, Payment::paymentId)
          .containsExactly(
              tuple(Payment.Type.CHARGE, TOTAL, charge.paymentId()),
              tuple(Payment.Type.REFUND, TOTAL, refund.paymentId()));
    }

    @Test
    void doesNothingWhenADeclinedOrderIsCancelled() {
      FakeAccounts accounts = FakeAccounts.withBalance("10.00");
      order.reserved(TOTAL, accounts);

      assertThat(order.cancelled(accounts)).isEmpty();
      assertThat(accounts.balance()).isEqualByComparingTo("10.00");
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.DECLINED);
    }

    @Test
    void doesNothingWhenAnOrderWithoutAccountIsCancelled() {
      order.reserved(TOTAL, FakeAccounts.none());

      assertThat(order.cancelled(FakeAccounts.none())).isEmpty();
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.DECLINED);
    }
  }

  @Nested
  class WhenCancelledFirst {

    @Test
    void remembersTheCancellationWithoutTouchingTheAccount() {
      FakeAccounts accounts = FakeAccounts.withBalance("100.00");

      assertThat(order.cancelled(accounts)).isEmpty();
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.CANCELLED);
      assertThat(accounts.locks).isZero();
    }

    @Test
    void refusesTheChargeWhenTheReservationArrivesLater() {
      FakeAccounts accounts = FakeAccounts.withBalance("100.00");
      order.cancelled(accounts);

      PaymentProcessed outcome = order.reserved(TOTAL, accounts).orElseThrow();

      assertThat(outcome)
          .isEqualTo(
              new PaymentProcessed(
                  orderId,
                  outcome.paymentId(),
                  CUSTOMER,
                  Status.FAILED,
                  TOTAL,
                  "EUR",
                  Reason.ORDER_CANCELLED));
      assertThat(accounts.balance()).isEqualByComparingTo("100.00");
      assertThat(accounts.locks).as("the account is not even locked").isZero();
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.REFUSED);
      assertThat(order.amount()).contains(TOTAL);
      assertThat(order.payments()).isEmpty();
    }

    @Test
    void refusesTheChargeEvenWithoutAnAccount() {
      order.cancelled(FakeAccounts.none());

      assertThat(order.reserved(TOTAL, FakeAccounts.none()))
          .get()
          .returns(Reason.ORDER_CANCELLED, PaymentProcessed::reason);
    }
  }

  @Nested
  class WhenDecided {

    @Test
    void ignoresAReservationOnceCharged() {
      FakeAccounts accounts = FakeAccounts.withBalance("100.00");
      order.reserved(TOTAL, accounts);

      assertThat(order.reserved(TOTAL, accounts)).isEmpty();
      assertThat(accounts.balance()).isEqualByComparingTo("70.00");
      assertThat(order.payments()).hasSize(1);
    }

    @Test
    void ignoresAReservationOnceDeclinedEvenIfTheBalanceNowCoversIt() {
      order.reserved(TOTAL, FakeAccounts.withBalance("1.00"));
      FakeAccounts toppedUp = FakeAccounts.withBalance("100.00");

      assertThat(order.reserved(TOTAL, toppedUp)).isEmpty();
      assertThat(toppedUp.balance()).isEqualByComparingTo("100.00");
    }

    @Test
    void ignoresAReservationAndACancellationOnceRefused() {
      FakeAccounts accounts = FakeAccounts.withBalance("100.00");
      order.cancelled(accounts);
      order.reserved(TOTAL, accounts);

      assertThat(order.reserved(TOTAL, accounts)).isEmpty();
      assertThat(order.cancelled(accounts)).isEmpty();
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.REFUSED);
      assertThat(accounts.locks).isZero();
    }

    @Test
    void ignoresAReservationAndACancellationOnceRefunded() {
      FakeAccounts accounts = FakeAccounts.withBalance("100.00");
      order.reserved(TOTAL, accounts);
      order.cancelled(accounts);

      assertThat(order.reserved(TOTAL, accounts)).isEmpty();
      assertThat(order.cancelled(accounts)).isEmpty();
      assertThat(accounts.balance()).isEqualByComparingTo("100.00");
      assertThat(order.payments()).hasSize(2);
    }

    @Test
    void ignoresASecondCancellationBeforeTheReservation() {
      FakeAccounts accounts = FakeAccounts.withBalance("100.00");
      order.cancelled(accounts);

      assertThat(order.cancelled(accounts)).isEmpty();
      assertThat(order.status()).isEqualTo(PaymentOrder.Status.CANCELLED);
    }
  }

  /** Every sequence of up to four deliveries of the two events, duplicates included. */
  static Stream<Arguments> interleavings() {
    List<List<Event>> sequences = new ArrayList<>();
    for (int length = 1; length <= 4; length++) {
      for (int bits = 0; bits < (1 << length); bits++) {
        List<Event> sequence = new ArrayList<>();
        for (int i = 0; i < length; i++) {
          sequence.add((bits >> i & 1) == 0 ? Event.RESERVED : Event.CANCELLED);
        }
        sequences.add(sequence);
      }
    }
    return sequences.stream()
        .flatMap(sequence -> Stream.of(Funds.values()).map(funds -> Arguments.of(sequence, funds)));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("interleavings")
  void decidesEachOutcomeOnceAndConservesMoney(List<Event> deliveries, Funds funds) {
    FakeAccounts accounts = funds.accounts();
    BigDecimal before = accounts.balance();

    List<PaymentProcessed> published = new ArrayList<>();
    for (Event event : deliveries) {
      (event == Event.RESERVED ? order.reserved(TOTAL, accounts) : order.cancelled(accounts))
          .ifPresent(published::add);
      assertThat(accounts.balance()).as("never negative").isGreaterThanOrEqualTo(BigDecimal.ZERO);
    }

    assertThat(published)
        .extracting(PaymentProcessed::status, PaymentProcessed::reason)
        .containsExactlyElementsOf(expected(deliveries, funds));
    assertThat(published)
        .allSatisfy(
            event -> {
              assertThat(event.orderId()).isEqualTo(orderId);
              assertThat(event.customerId()).isEqualTo(CUSTOMER);
              assertThat(event.amount()).isEqualTo(TOTAL);
              assertThat(event.currency()).isEqualTo("EUR");
            });
    assertThat(published).extracting(PaymentProcessed::paymentId).doesNotHaveDuplicates();

    BigDecimal charged = sum(Payment.Type.CHARGE);
    BigDecimal refunded = sum(Payment.Type.REFUND);
    assertThat(before.subtract(accounts.balance()))
        .as("the account moved exactly what the payments say")
        .isEqualByComparingTo(charged.subtract(refunded));
    if (deliveries.contains(Event.CANCELLED)) {
      assertThat(charged).as("a cancelled order nets to 0").isEqualByComparingTo(refunded);
    } else if (funds == Funds.ENOUGH) {
      assertThat(order.payments())
          .as("a confirmed order has exactly one charge of its total and no refund")
          .singleElement()
          .returns(Payment.Type.CHARGE, Payment::type)
          .returns(TOTAL, Payment::amount);
    }
    assertThat(order.payments())
        .filteredOn(p -> p.type() == Payment.Type.CHARGE)
        .hasSizeLessThan(2);
  }

  /**
   * What must be published for a sequence of deliveries: decided by the first, undone by cancel.
   */
  private static List<Tuple> expected(List<Event> deliveries, Funds funds) {
    List<Tuple> expected = new ArrayList<>();
    boolean cancelledLater = deliveries.subList(1, deliveries.size()).contains(Event.CANCELLED);
    boolean reservedLater = deliveries.subList(1, deliveries.size()).contains(Event.RESERVED);
    if (deliveries.getFirst() == Event.RESERVED) {
      switch (funds) {
        case ENOUGH -> {
          expected.add(tuple(Status.SUCCEEDED, null));
          if (cancelledLater) {
            expected.add(tuple(Status.REFUNDED, null));
          }
        }
        case INSUFFICIENT -> expected.add(tuple(Status.FAILED, Reason.INSUFFICIENT_FUNDS));
        case NO_ACCOUNT -> expected.add(tuple(Status.FAILED, Reason.UNKNOWN_ACCOUNT));
      }
    } else if (reservedLater) {
      expected.add(tuple(Status.FAILED, Reason.ORDER_CANCELLED));
    }
    return expected;
  }

  private BigDecimal sum(Payment.Type type) {
    return order.payments().stream()
        .filter(payment -> payment.type() == type)
        .map(Payment::amount)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  enum Event {
    RESERVED,
    CANCELLED
  }

  enum Funds {
    ENOUGH("100.00"),
    INSUFFICIENT("29.99"),
    NO_ACCOUNT(null);

    private final String balance;

    Funds(String balance) {
      this.balance = balance;
    }

    FakeAccounts accounts() {
      return balance == null ? FakeAccounts.none() : FakeAccounts.withBalance(balance);
    }
  }

  /** One customer's account, or none; counts how often it was locked. */
  static final class FakeAccounts implements Accounts {

    private final Account account;
    int locks;

    private FakeAccounts(Account account) {
      this.account = account;
    }

    static FakeAccounts withBalance(String balance) {
      return new FakeAccounts(new Account(CUSTOMER, new BigDecimal(balance)));
    }

    static FakeAccounts none() {
      return new FakeAccounts(null);
    }

    BigDecimal balance() {
      return account == null ? BigDecimal.ZERO : account.balance();
    }

    @Override
    public Optional<Account> lock(String customerId) {
      assertThat(customerId).isEqualTo(CUSTOMER);
      locks++;
      return Optional.ofNullable(account);
    }
  }
}
