package dev.saga.payment.account;

import dev.saga.payment.SagaProperties;
import dev.saga.web.Money;
import dev.saga.web.ProblemResponses;
import dev.saga.web.ResourceId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Customer payment accounts over HTTP. */
@RestController
@RequestMapping("/api/accounts")
@Validated
class AccountController {

  private final AccountService accounts;
  private final SagaProperties saga;

  AccountController(AccountService accounts, SagaProperties saga) {
    this.accounts = accounts;
    this.saga = saga;
  }

  /** Creates the account or resets its balance. */
  @PutMapping("/{customerId}")
  @ProblemResponses({400})
  AccountResponse put(
      @PathVariable @ResourceId String customerId, @Valid @RequestBody AccountRequest request) {
    return response(accounts.reset(customerId, request.balance()));
  }

  @GetMapping("/{customerId}")
  @ProblemResponses({400, 404})
  AccountResponse get(@PathVariable @ResourceId String customerId) {
    return accounts
        .find(customerId)
        .map(this::response)
        .orElseThrow(
            () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No account " + customerId));
  }

  private AccountResponse response(Account account) {
    return new AccountResponse(account.customerId(), account.balance(), saga.currency());
  }

  /** The body of a PUT: the balance the account starts from. */
  record AccountRequest(@NotNull @Money BigDecimal balance) {}

  record AccountResponse(String customerId, BigDecimal balance, String currency) {}
}
