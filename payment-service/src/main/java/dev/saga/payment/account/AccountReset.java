package dev.saga.payment.account;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import org.hibernate.annotations.Generated;

/** The record of one PUT of an account: the balance it set, and when. */
@Entity
@Table(name = "account_resets")
class AccountReset {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String customerId;

  private BigDecimal balance;

  // The database clock at insert, while the account is locked: it orders resets and payments of
  // one customer as they were applied, whatever the clocks of the service instances say.
  @Generated private Instant at;

  protected AccountReset() {}

  AccountReset(String customerId, BigDecimal balance) {
    this.customerId = customerId;
    this.balance = balance;
  }

  String customerId() {
    return customerId;
  }

  BigDecimal balance() {
    return balance;
  }

  Instant at() {
    return at;
  }
}
