package dev.saga.payment.account;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/** A customer's payment account: a balance that charges take from and refunds give back to. */
@Entity
@Table(name = "accounts")
public class Account {

  @Id private String customerId;

  private BigDecimal balance;

  protected Account() {}

  public Account(String customerId, BigDecimal balance) {
    this.customerId = Objects.requireNonNull(customerId, "customerId");
    this.balance = amount(balance);
  }

  public String customerId() {
    return customerId;
  }

  public BigDecimal balance() {
    return balance;
  }

  /** Sets the balance, as a PUT of the account does; the returned reset is its record. */
  AccountReset reset(BigDecimal balance) {
    this.balance = amount(balance);
    return new AccountReset(customerId, this.balance);
  }

  /** Whether the balance is at least {@code amount}. */
  public boolean covers(BigDecimal amount) {
    return balance.compareTo(amount(amount)) >= 0;
  }

  /**
   * Takes {@code amount} from the balance.
   *
   * @throws IllegalStateException if the balance does not cover it: a balance never goes negative
   */
  public void debit(BigDecimal amount) {
    if (!covers(amount)) {
      throw new IllegalStateException(
          "Account " + customerId + " (" + balance + ") does not cover " + amount);
    }
    balance = balance.subtract(amount(amount));
  }

  /** Gives {@code amount} back to the balance. */
  public void credit(BigDecimal amount) {
    balance = balance.add(amount(amount));
  }

  /** An amount of money: not negative, two decimals; a third decimal is an error, not rounded. */
  private static BigDecimal amount(BigDecimal value) {
    Objects.requireNonNull(value, "amount");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("An amount cannot be negative: " + value);
    }
    return value.setScale(2, RoundingMode.UNNECESSARY);
  }
}
