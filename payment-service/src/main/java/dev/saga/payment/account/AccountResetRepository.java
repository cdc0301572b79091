package dev.saga.payment.account;

import org.springframework.data.jpa.repository.JpaRepository;

/** Every PUT of every account. */
interface AccountResetRepository extends JpaRepository<AccountReset, Long> {}
