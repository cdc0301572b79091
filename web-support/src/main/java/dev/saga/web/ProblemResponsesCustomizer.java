package dev.saga.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents each {@link ProblemResponses} status as an {@code application/problem+json} response,
 * and on every operation the 503 with {@code Retry-After} that {@link ProblemDetailsAdvice} answers
 * when the service cannot reach its database.
 */
final class ProblemResponsesCustomizer implements OperationCustomizer {

  static final String PROBLEM_SCHEMA = "#/components/schemas/ProblemDetail";

  @Override
  public Operation customize(Operation operation, HandlerMethod handlerMethod) {
    ApiResponses responses =
        operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    ProblemResponses problems = handlerMethod.getMethodAnnotation(ProblemResponses.class);
    if (problems != null) {
      for (int status : problems.value()) {
        responses.addApiResponse(String.valueOf(status), problem(status));
      }
    }
    responses.addApiResponse(
        String.valueOf(HttpStatus.SERVICE_UNAVAILABLE.value()),
        problem(HttpStatus.SERVICE_UNAVAILABLE.value())
            .description("The service cannot reach its database")
            .addHeaderObject(
                HttpHeaders.RETRY_AFTER,
                new Header()
                    .description("Seconds to wait before trying again")
                    .schema(new IntegerSchema())));
    operation.setResponses(responses);
    return operation;
  }

  private static ApiResponse problem(int status) {
    return new ApiResponse()
        .description(HttpStatus.valueOf(status).getReasonPhrase())
        .content(
            new Content()
                .addMediaType(
                    org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    new MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA))));
  }
}
