package dev.saga.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** What every service's HTTP edge gets from web-support, seen through a @WebMvcTest slice. */
@WebMvcTest(SampleApplication.SampleController.class)
class WebSupportTests {

  @Autowired MockMvcTester mvc;

  @Test
  void writesMoneyAsANumberWithTwoDecimals() {
    MvcTestResult result = post("{\"customerId\":\"C-1\",\"amount\":10}");

    assertThat(result).hasStatusOk();
    assertThat(result)
        .bodyText()
        .isEqualTo("{\"customerId\":\"C-1\",\"amount\":10.00,\"count\":null}");
  }

  @Test
  void rejectsAFractionWhereAnIntegerBelongs() {
    assertProblem(
        post("{\"customerId\":\"C-1\",\"amount\":1.00,\"count\":1.5}"), HttpStatus.BAD_REQUEST);
  }

  @Test
  void rejectsAThirdDecimalWithTheFieldNamed() {
    MvcTestResult result = post("{\"customerId\":\"C-1\",\"amount\":10.005}");

    assertProblem(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("amount");
  }

  @Test
  void rejectsANegativeAmount() {
    assertProblem(post("{\"customerId\":\"C-1\",\"amount\":-1.00}"), HttpStatus.BAD_REQUEST);
  }

  @Test
  void rejectsAnAmountWrittenAsAString() {
    assertProblem(post("{\"customerId\":\"C-1\",\"amount\":\"10.00\"}"), HttpStatus.BAD_REQUEST);
  }

  @Test
  void rejectsAMissingAmount() {
    assertProblem(post("{\"customerId\":\"C-1\"}"), HttpStatus.BAD_REQUEST);
  }

  @Test
  void rejectsMalformedJson() {
    assertProblem(post("{\"customerId\":"), HttpStatus.BAD_REQUEST);
  }

  @Test
  void rejectsAnInvalidIdInTheBody() {
    MvcTestResult result = post("{\"customerId\":\"not valid!\",\"amount\":1.00}");

    assertProblem(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("customerId");
  }

  @Test
  void rejectsAnIdLongerThan64CharactersNamingTheParameter() {
    MvcTestResult result = mvc.get().uri("/items/" + "x".repeat(65)).exchange();

    assertProblem(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("id");
  }

  @Test
  void answersNotFoundAsProblemDetails() {
    MvcTestResult result = mvc.get().uri("/items/P-1").exchange();

    assertProblem(result, HttpStatus.NOT_FOUND);
    assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("No item P-1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pool-timeout",
        "connection-closed",
        "rollback-on-a-broken-connection",
        "server-shutdown"
      })
  void answersAnUnreachableDatabaseWithServiceUnavailableAndRetryAfter(String failure) {
    MvcTestResult result = mvc.get().uri("/failures/" + failure).exchange();

    assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(result).headers().hasValue("Retry-After", "5");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.detail")
        .isEqualTo(
            "The service cannot reach its database; try again after the Retry-After seconds");
  }

  @ParameterizedTest
  @ValueSource(strings = {"duplicate-key", "bug"})
  void answersAnyOtherExceptionWithInternalServerErrorShowingNothingOfIt(String failure) {
    MvcTestResult result = mvc.get().uri("/failures/" + failure).exchange();

    assertProblem(result, HttpStatus.INTERNAL_SERVER_ERROR);
    assertThat(result).headers().doesNotContainHeader("Retry-After");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.detail")
        .isEqualTo("An unexpected error occurred; it has been logged");
    assertThat(result).bodyText().doesNotContain("duplicate key", "internal state", "Exception");
  }

  @Test
  void writesPagesInTheDesignedFormat() {
    MvcTestResult result = mvc.get().uri("/items?page=1&size=2").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.content").asArray().containsExactly("a", "b");
    assertThat(result).bodyJson().extractingPath("$.page.number").isEqualTo(1);
    assertThat(result).bodyJson().extractingPath("$.page.size").isEqualTo(2);
    assertThat(result).bodyJson().extractingPath("$.page.totalElements").isEqualTo(5);
    assertThat(result).bodyJson().extractingPath("$.page.totalPages").isEqualTo(3);
  }

  private MvcTestResult post(String json) {
    return mvc.post()
        .uri("/payments")
        .contentType(MediaType.APPLICATION_JSON)
        .content(json)
        .exchange();
  }

  private static void assertProblem(MvcTestResult result, HttpStatus status) {
    assertThat(result).hasStatus(status);
    assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
  }
}
