package dev.saga.payment.order;

import dev.saga.events.PaymentProcessed;
import dev.saga.events.PaymentProcessed.Reason;
import dev.saga.payment.account.Account;
import dev.saga.payment.account.Accounts;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What the payment service did about one order: it charges the order's total once the stock is
 * reserved, refunds that charge when the order is cancelled, and refuses to charge an order that
 * was cancelled before its reservation arrived. Each outcome is decided once; every later or
 * repeated event is a no-op.
 *
 * <p>Reservation ({@code InventoryUpdated RESERVED}) and cancellation ({@code CancelOrder}) come on
 * different topics, so either may arrive first:
 *
 * <pre>
 * state      | reserved                          | cancelled
 * -----------+-----------------------------------+-------------------------
 * PENDING    | CHARGED (SUCCEEDED) or            | CANCELLED (nothing to
 *            | DECLINED (FAILED, funds/account)  | undo yet, remembered)
 * CHARGED    | -                                 | REFUNDED (REFUNDED)
 * CANCELLED  | REFUSED (FAILED, ORDER_CANCELLED) | -
 * DECLINED   | -                                 | -
 * REFUSED    | -                                 | -
 * REFUNDED   | -                                 | -
 * </pre>
 */
@Entity
@Table(name = "payment_orders")
public class PaymentOrder {

  @Id private UUID orderId;

  private String customerId;

  private String currency;

  /** The order's total; {@code null} until the reservation says it. */
  private BigDecimal amount;

  @Enumerated(EnumType.STRING)
  private Status status;

  @Enumerated(EnumType.STRING)
  private Reason declineReason;

  @OneToMany(cascade = CascadeType.PERSIST)
  @JoinColumn(name = "order_id", nullable = false, updatable = false)
  private List<Payment> payments = new ArrayList<>();

  protected PaymentOrder() {}

  /** An order payment has heard nothing about yet but that it exists. */
  public PaymentOrder(UUID orderId, String customerId, String currency) {
    this.orderId = Objects.requireNonNull(orderId, "orderId");
    this.customerId = Objects.requireNonNull(customerId, "customerId");
    this.currency = Objects.requireNonNull(currency, "currency");
    this.status = Status.PENDING;
  }

  /**
   * The order's stock is reserved: charge its total to the customer's account, or refuse the charge
   * if the order was cancelled already.
   *
   * @param accounts asked for the customer's account only when money is about to move
   * @return the outcome, or empty if the order's payment was decided before
   */
  public Optional<PaymentProcessed> reserved(BigDecimal totalAmount, Accounts accounts) {
    return switch (status) {
      case PENDING -> Optional.of(charge(totalAmount, accounts));
      case CANCELLED -> Optional.of(refuse(totalAmount));
      case CHARGED, DECLINED, REFUSED, REFUNDED -> Optional.empty();
    };
  }

  /**
   * The order is cancelled: refund its charge, or remember the cancellation so that a reservation
   * arriving later is refused.
   *
   * @param accounts asked for the customer's account only when money is about to move
   * @return the refund, or empty if there is nothing to give back
   */
  public Optional<PaymentProcessed> cancelled(Accounts accounts) {
    return switch (status) {
      case PENDING -> {
        status = Status.CANCELLED;
        yield Optional.empty();
      }
      case CHARGED -> Optional.of(refund(accounts));
      case DECLINED, CANCELLED, REFUSED, REFUNDED -> Optional.empty();
    };
  }

  private PaymentProcessed charge(BigDecimal totalAmount, Accounts accounts) {
    amount = amount(totalAmount);
    Optional<Account> account = accounts.lock(customerId);
    if (account.isEmpty()) {
      return decline(Reason.UNKNOWN_ACCOUNT);
    }
    if (!account.get().covers(amount)) {
      return decline(Reason.INSUFFICIENT_FUNDS);
    }
    account.get().debit(amount);
    Payment charge = new Payment(Payment.Type.CHARGE, amount);
    payments.add(charge);
    status = Status.CHARGED;
    return outcome(charge.paymentId(), PaymentProcessed.Status.SUCCEEDED, null);
  }

  private PaymentProcessed decline(Reason reason) {
    status = Status.DECLINED;
    declineReason = reason;
    return outcome(UUID.randomUUID(), PaymentProcessed.Status.FAILED, reason);
  }

  private PaymentProcessed refuse(BigDecimal totalAmount) {
    amount = amount(totalAmount);
    status = Status.REFUSED;
    return outcome(UUID.randomUUID(), PaymentProcessed.Status.FAILED, Reason.ORDER_CANCELLED);
  }

  private PaymentProcessed refund(Accounts accounts) {
    Account account =
        accounts
            .lock(customerId)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Order " + orderId + " was charged to account " + customerId + ", gone"));
    account.credit(amount);
    Payment refund = new Payment(Payment.Type.REFUND, amount);
    payments.add(refund);
    status = Status.REFUNDED;
    return outcome(refund.paymentId(), PaymentProcessed.Status.REFUNDED, null);
  }

  private PaymentProcessed outcome(UUID paymentId, PaymentProcessed.Status outcome, Reason reason) {
    return new PaymentProcessed(orderId, paymentId, customerId, outcome, amount, currency, reason);
  }

  public UUID orderId() {
    return orderId;
  }

  public String customerId() {
    return customerId;
  }

  public Status status() {
    return status;
  }

  /** The order's total, once its reservation arrived. */
  public Optional<BigDecimal> amount() {
    return Optional.ofNullable(amount);
  }

  /** Why the charge was declined, if it was. */
  public Optional<Reason> declineReason() {
    return Optional.ofNullable(declineReason);
  }

  /** The charge and refund of the order, in the order they happened. */
  public List<Payment> payments() {
    return List.copyOf(payments);
  }

  private static BigDecimal amount(BigDecimal value) {
    Objects.requireNonNull(value, "amount");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("An amount cannot be negative: " + value);
    }
    return value.setScale(2, RoundingMode.UNNECESSARY);
  }

  /** Where the order's payment stands. */
  public enum Status {
    /** Nothing heard yet but that the order exists; never committed in this state. */
    PENDING,
    /** The total was charged. */
    CHARGED,
    /** The charge failed: unknown account or insufficient funds. */
    DECLINED,
    /** Cancelled before anything was charged; a reservation will be refused. */
    CANCELLED,
    /** The reservation came after the cancellation, and its charge was refused. */
    REFUSED,
    /** The charge was given back. */
    REFUNDED
  }
}
