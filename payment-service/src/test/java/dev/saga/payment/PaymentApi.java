package dev.saga.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The payment service's HTTP API as a test client sees it over the wire. */
public final class PaymentApi {

  private final RestTestClient http;

  public PaymentApi(RestTestClient http) {
    this.http = http;
  }

  /** PUTs the account with {@code balance} (a JSON number as written) and expects 200. */
  public AccountView putAccount(String customerId, String balance) {
    return http.put()
        .uri("/api/accounts/{customerId}", customerId)
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"balance\": " + balance + "}")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(AccountView.class)
        .returnResult()
        .getResponseBody();
  }

  public AccountView account(String customerId) {
    return http.get()
        .uri("/api/accounts/{customerId}", customerId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(AccountView.class)
        .returnResult()
        .getResponseBody();
  }

  public BigDecimal balance(String customerId) {
    return account(customerId).balance();
  }

  public List<PaymentView> payments(UUID orderId) {
    return http.get()
        .uri("/api/payments?orderId={orderId}", orderId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(new ParameterizedTypeReference<List<PaymentView>>() {})
        .returnResult()
        .getResponseBody();
  }

  /** The raw client, for requests that are meant to fail. */
  public RestTestClient http() {
    return http;
  }

  public record AccountView(String customerId, BigDecimal balance, String currency) {}

  public record PaymentView(
      UUID paymentId, UUID orderId, String type, BigDecimal amount, Instant at) {}
}
