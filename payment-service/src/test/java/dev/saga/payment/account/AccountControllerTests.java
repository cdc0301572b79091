package dev.saga.payment.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.saga.payment.SagaProperties;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The account API's contract: bodies, validation and error statuses. */
@WebMvcTest(AccountController.class)
@EnableConfigurationProperties(SagaProperties.class)
class AccountControllerTests {

  @Autowired MockMvcTester mvc;

  @MockitoBean AccountService accounts;

  @Test
  void putAnswersTheAccountWithItsBalanceAndCurrency() {
    given(accounts.reset("C-1", new BigDecimal("10.5")))
        .willReturn(new Account("C-1", new BigDecimal("10.5")));

    MvcTestResult result = put("C-1", "{\"balance\": 10.5}");

    assertThat(result).hasStatusOk();
    assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_JSON);
    assertThat(result)
        .bodyText()
        .isEqualTo("{\"customerId\":\"C-1\",\"balance\":10.50,\"currency\":\"EUR\"}");
  }

  @Test
  void putAcceptsAZeroBalance() {
    given(accounts.reset("C-1", new BigDecimal("0")))
        .willReturn(new Account("C-1", BigDecimal.ZERO));

    MvcTestResult result = put("C-1", "{\"balance\": 0}");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.balance").isEqualTo(0.0);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"balance\": 10.005}",
        "{\"balance\": -0.01}",
        "{\"balance\": 12345678901234.00}",
        "{\"balance\": null}",
        "{}"
      })
  void putRejectsAnInvalidBalanceNamingTheField(String body) {
    MvcTestResult result = put("C-1", body);

    assertProblem(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("balance");
    verifyNoInteractions(accounts);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{\"balance\": \"10.00\"}", "{\"balance\": true}", "{\"balance\": "})
  void putRejectsABalanceThatIsNotAJsonNumber(String body) {
    assertProblem(put("C-1", body), HttpStatus.BAD_REQUEST);
    verifyNoInteractions(accounts);
  }

  @Test
  void putRejectsAMissingBody() {
    assertProblem(
        mvc.put().uri("/api/accounts/C-1").contentType(MediaType.APPLICATION_JSON).exchange(),
        HttpStatus.BAD_REQUEST);
    verifyNoInteractions(accounts);
  }

  @Test
  void putRejectsAnInvalidCustomerId() {
    MvcTestResult result = put("not valid!", "{\"balance\": 10.00}");

    assertProblem(result, HttpStatus.BAD_REQUEST);
    // The shared advice names a path-variable violation by its path, e.g. "put.customerId".
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .asString()
        .endsWith("customerId");
    verifyNoInteractions(accounts);
  }

  @Test
  void putRejectsACustomerIdLongerThan64Characters() {
    assertProblem(put("c".repeat(65), "{\"balance\": 10.00}"), HttpStatus.BAD_REQUEST);
    verifyNoInteractions(accounts);
  }

  @Test
  void putAcceptsACustomerIdOf64Characters() {
    String customerId = "c".repeat(64);
    given(accounts.reset(anyString(), any())).willReturn(new Account(customerId, BigDecimal.ONE));

    assertThat(put(customerId, "{\"balance\": 1}")).hasStatusOk();
  }

  @Test
  void getAnswersTheAccount() {
    given(accounts.find("C-2")).willReturn(Optional.of(new Account("C-2", new BigDecimal("7.25"))));

    MvcTestResult result = mvc.get().uri("/api/accounts/C-2").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result)
        .bodyText()
        .isEqualTo("{\"customerId\":\"C-2\",\"balance\":7.25,\"currency\":\"EUR\"}");
  }

  @Test
  void getAnswersNotFoundForAnUnknownAccount() {
    given(accounts.find("C-unknown")).willReturn(Optional.empty());

    MvcTestResult result = mvc.get().uri("/api/accounts/C-unknown").exchange();

    assertProblem(result, HttpStatus.NOT_FOUND);
    assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("No account C-unknown");
  }

  @Test
  void getRejectsAnInvalidCustomerId() {
    MvcTestResult result = mvc.get().uri("/api/accounts/{id}", "a:b").exchange();

    assertProblem(result, HttpStatus.BAD_REQUEST);
    // The shared advice names a path-variable violation by its path, e.g. "put.customerId".
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .asString()
        .endsWith("customerId");
    verifyNoInteractions(accounts);
  }

  private MvcTestResult put(String customerId, String body) {
    return mvc.put()
        .uri("/api/accounts/{customerId}", customerId)
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private static void assertProblem(MvcTestResult result, HttpStatus status) {
    assertThat(result).hasStatus(status);
    assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
  }
}
