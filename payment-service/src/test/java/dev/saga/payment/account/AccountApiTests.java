package dev.saga.payment.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.payment.PaymentApi;
import dev.saga.payment.PaymentApi.AccountView;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The account API end to end, over HTTP, against the real database. */
@ServiceTest
@AutoConfigureRestTestClient
class AccountApiTests {

  @Autowired RestTestClient http;
  @Autowired JdbcClient jdbc;

  private PaymentApi api() {
    return new PaymentApi(http);
  }

  @Test
  void createsAnAccountAndReadsItBack() {
    String customerId = newCustomer();

    AccountView created = api().putAccount(customerId, "100.5");

    assertThat(created).isEqualTo(new AccountView(customerId, new BigDecimal("100.50"), "EUR"));
    assertThat(api().account(customerId)).isEqualTo(created);
  }

  @Test
  void resetsTheBalanceOfAnExistingAccountAndRecordsEveryPut() {
    String customerId = newCustomer();
    api().putAccount(customerId, "100.00");

    AccountView reset = api().putAccount(customerId, "25.25");

    assertThat(reset.balance()).isEqualTo(new BigDecimal("25.25"));
    assertThat(api().balance(customerId)).isEqualTo(new BigDecimal("25.25"));
    assertThat(resets(customerId))
        .containsExactly(new BigDecimal("100.00"), new BigDecimal("25.25"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"balance\": 10.005}",
        "{\"balance\": -1.00}",
        "{\"balance\": \"10.00\"}",
        "{\"balance\": null}",
        "{}",
        "{\"balance\": 10"
      })
  void storesNothingForARejectedPut(String body) {
    String customerId = newCustomer();

    http.put()
        .uri("/api/accounts/{customerId}", customerId)
        .contentType(MediaType.APPLICATION_JSON)
        .body(body)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(400);

    http.get().uri("/api/accounts/{customerId}", customerId).exchange().expectStatus().isNotFound();
    assertThat(resets(customerId)).isEmpty();
  }

  @Test
  void storesNothingForAnInvalidCustomerId() {
    long before = jdbc.sql("select count(*) from accounts").query(Long.class).single();

    http.put()
        .uri("/api/accounts/{customerId}", "x".repeat(65))
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"balance\": 10.00}")
        .exchange()
        .expectStatus()
        .isBadRequest();

    assertThat(jdbc.sql("select count(*) from accounts").query(Long.class).single())
        .isEqualTo(before);
  }

  @Test
  void answersNotFoundAsProblemDetailsForAnUnknownAccount() {
    http.get()
        .uri("/api/accounts/{customerId}", newCustomer())
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(404);
  }

  @Test
  void answersBadRequestForAnInvalidCustomerId() {
    http.get()
        .uri("/api/accounts/{customerId}", "no spaces")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void concurrentFirstPutsOfOneAccountAllSucceedAndTheLastOneWins() throws Exception {
    String customerId = newCustomer();
    List<Future<AccountView>> puts;
    try (ExecutorService clients = Executors.newFixedThreadPool(10)) {
      puts =
          IntStream.rangeClosed(1, 10)
              .mapToObj(i -> clients.submit(() -> api().putAccount(customerId, i + ".00")))
              .toList();
    }
    for (Future<AccountView> put : puts) {
      assertThat(put.get().customerId()).isEqualTo(customerId);
    }

    List<BigDecimal> resets = resets(customerId);
    assertThat(resets).hasSize(10);
    assertThat(api().balance(customerId)).isEqualTo(resets.getLast());
  }

  @Test
  void documentsEveryErrorStatusInTheOpenApiDocument() {
    http.get()
        .uri("/v3/api-docs")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/api/accounts/{customerId}'].put.responses['400']")
        .exists()
        .jsonPath("$.paths['/api/accounts/{customerId}'].get.responses['400']")
        .exists()
        .jsonPath(
            "$.paths['/api/accounts/{customerId}'].get.responses['404'].content['application/problem+json']")
        .exists()
        .jsonPath("$.paths['/api/payments'].get.responses['400']")
        .exists();
  }

  /** The balances the customer's PUTs set, in the order they were applied. */
  private List<BigDecimal> resets(String customerId) {
    return jdbc.sql("select balance from account_resets where customer_id = ? order by at, id")
        .param(customerId)
        .query(BigDecimal.class)
        .list();
  }

  private static String newCustomer() {
    return "C-" + UUID.randomUUID();
  }
}
