package dev.saga.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Each operation documents its error statuses as problem details. */
@SpringBootTest
@AutoConfigureMockMvc
class OpenApiDocumentTests {

  @Autowired MockMvcTester mvc;

  @Test
  void documentsEachDeclaredErrorStatusAsProblemDetails() {
    MvcTestResult result = mvc.get().uri("/v3/api-docs").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result)
        .bodyJson()
        .extractingPath(
            "$.paths['/items/{id}'].get.responses['404'].content['application/problem+json'].schema['$ref']")
        .isEqualTo("#/components/schemas/ProblemDetail");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.paths['/payments'].post.responses['400'].description")
        .isEqualTo("Bad Request");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.components.schemas.ProblemDetail.properties.status")
        .isNotNull();
  }

  @Test
  void documentsServiceUnavailableWithRetryAfterOnEveryOperation() {
    MvcTestResult result = mvc.get().uri("/v3/api-docs").exchange();

    for (String operation :
        new String[] {"['/items/{id}'].get", "['/items'].get", "['/payments'].post"}) {
      String unavailable = "$.paths" + operation + ".responses['503']";
      assertThat(result)
          .bodyJson()
          .extractingPath(unavailable + ".content['application/problem+json'].schema['$ref']")
          .isEqualTo("#/components/schemas/ProblemDetail");
      assertThat(result)
          .bodyJson()
          .extractingPath(unavailable + ".headers['Retry-After'].schema.type")
          .isEqualTo("integer");
    }
  }
}
