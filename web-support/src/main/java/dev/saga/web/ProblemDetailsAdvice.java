package dev.saga.web;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 problem details. Spring MVC's own handler covers malformed JSON, wrong
 * parameter types and {@code ResponseStatusException}s; this adds which fields are invalid, as an
 * {@code errors} list of {@code {field, message}}.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException exception,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem = exception.getBody();
    problem.setDetail("The request has invalid fields.");
    problem.setProperty(
        "errors",
        exception.getBindingResult().getAllErrors().stream()
            .map(
                error ->
                    Map.of(
                        "field",
                        error instanceof FieldError field
                            ? field.getField()
                            : error.getObjectName(),
                        "message",
                        String.valueOf(error.getDefaultMessage())))
            .toList());
    return handleExceptionInternal(exception, problem, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException exception,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
    problem.setDetail("The request has invalid parameters.");
    problem.setProperty(
        "errors",
        exception.getParameterValidationResults().stream()
            .flatMap(
                result ->
                    result.getResolvableErrors().stream()
                        .map(
                            error ->
                                Map.of(
                                    "field",
                                    String.valueOf(result.getMethodParameter().getParameterName()),
                                    "message",
                                    String.valueOf(error.getDefaultMessage()))))
            .toList());
    return handleExceptionInternal(exception, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ProblemDetail constraintViolation(ConstraintViolationException exception) {
    ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
    problem.setDetail("The request has invalid parameters.");
    List<Map<String, String>> errors =
        exception.getConstraintViolations().stream()
            .map(
                violation ->
                    Map.of(
                        "field",
                        lastNode(violation.getPropertyPath()),
                        "message",
                        violation.getMessage()))
            .toList();
    problem.setProperty("errors", errors);
    return problem;
  }

  /** {@code id} rather than the method-qualified {@code get.id} of a parameter constraint. */
  private static String lastNode(Path path) {
    String name = path.toString();
    for (Path.Node node : path) {
      name = node.getName();
    }
    return name;
  }
}
