package dev.saga.payment.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AccountTests {

  private final Account account = new Account("C-1", new BigDecimal("10"));

  @Test
  void keepsMoneyWithTwoDecimals() {
    assertThat(account.balance()).isEqualTo(new BigDecimal("10.00"));
  }

  @Test
  void debitsAndCreditsExactly() {
    account.debit(new BigDecimal("0.10"));
    account.debit(new BigDecimal("0.20"));
    account.credit(new BigDecimal("0.05"));

    assertThat(account.balance()).isEqualTo(new BigDecimal("9.75"));
  }

  @Test
  void refusesADebitBeyondTheBalance() {
    assertThatThrownBy(() -> account.debit(new BigDecimal("10.01")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(account.balance()).isEqualTo(new BigDecimal("10.00"));
  }

  @Test
  void resetsTheBalanceAndRecordsTheReset() {
    account.debit(new BigDecimal("4.00"));

    AccountReset reset = account.reset(new BigDecimal("25.5"));

    assertThat(account.balance()).isEqualTo(new BigDecimal("25.50"));
    assertThat(reset.customerId()).isEqualTo("C-1");
    assertThat(reset.balance()).isEqualTo(new BigDecimal("25.50"));
  }

  @Test
  void refusesANegativeAmountOrAThirdDecimal() {
    assertThatThrownBy(() -> account.reset(new BigDecimal("-1.00")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> account.credit(new BigDecimal("1.005")))
        .isInstanceOf(ArithmeticException.class);
    assertThat(account.balance()).isEqualTo(new BigDecimal("10.00"));
  }
}
