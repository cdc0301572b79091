package dev.saga.payment.account;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** The customers' accounts. */
public interface AccountRepository extends JpaRepository<Account, String> {

  /** The account, locked ({@code SELECT … FOR UPDATE}) until the transaction ends. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select a from Account a where a.customerId = :customerId")
  Optional<Account> lock(String customerId);

  /**
   * Creates an empty account unless one exists; concurrent calls for one customer serialize on the
   * primary key instead of failing.
   */
  @Modifying
  @Query(
      value =
          "insert into accounts (customer_id, balance) values (:customerId, 0) on conflict do nothing",
      nativeQuery = true)
  void createIfAbsent(String customerId);
}
