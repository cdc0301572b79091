package dev.saga.payment.account;

import java.util.Optional;

/** Where a payment finds the account it moves money on. */
@FunctionalInterface
public interface Accounts {

  /**
   * The customer's account, locked until the current transaction ends, or empty if the customer has
   * none.
   */
  Optional<Account> lock(String customerId);
}
