package dev.saga.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents each {@link ProblemResponses} status as an {@code application/problem+json} response.
 */
final class ProblemResponsesCustomizer implements OperationCustomizer {

  static final String PROBLEM_SCHEMA = "#/components/schemas/ProblemDetail";

  @Override
  public Operation customize(Operation operation, HandlerMethod handlerMethod) {
    ProblemResponses problems = handlerMethod.getMethodAnnotation(ProblemResponses.class);
    if (problems == null) {
      return operation;
    }
    ApiResponses responses =
        operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    for (int status : problems.value()) {
      Content content =
          new Content()
              .addMediaType(
                  org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                  new MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA)));
      responses.addApiResponse(
          String.valueOf(status),
          new ApiResponse()
              .description(HttpStatus.valueOf(status).getReasonPhrase())
              .content(content));
    }
    operation.setResponses(responses);
    return operation;
  }
}
