package dev.saga.payment.account;

import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, resets and reads customer accounts. */
@Service
class AccountService {

  private final AccountRepository accounts;
  private final AccountResetRepository resets;

  AccountService(AccountRepository accounts, AccountResetRepository resets) {
    this.accounts = accounts;
    this.resets = resets;
  }

  /**
   * Creates the account with {@code balance}, or sets the balance of the existing one, and records
   * the reset. Locks only the account: a payment locks its order first and then the account, so the
   * two never wait for each other in a cycle.
   */
  @Transactional
  Account reset(String customerId, BigDecimal balance) {
    accounts.createIfAbsent(customerId);
    Account account =
        accounts
            .lock(customerId)
            .orElseThrow(() -> new IllegalStateException("Account " + customerId + " vanished"));
    resets.save(account.reset(balance));
    return account;
  }

  @Transactional(readOnly = true)
  Optional<Account> find(String customerId) {
    return accounts.findById(customerId);
  }
}
