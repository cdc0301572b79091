package dev.saga.web;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Every error as RFC 9457 problem details. Spring MVC's own handler covers malformed JSON, wrong
 * parameter types and {@code ResponseStatusException}s; this adds which fields are invalid, as an
 * {@code errors} list of {@code {field, message}}, and answers every other exception too: 503 with
 * {@code Retry-After} when the service cannot reach its database, otherwise 500. (Spring Boot's
 * error controller would answer those with its own JSON, not problem details:
 * spring-projects/spring-boot#43850.)
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  /**
   * How long a client should wait before it tries again when the database is unreachable. The
   * request has already waited for a connection as long as the pool allows (Hikari's {@code
   * connection-timeout}, 30 s by default); a restarting or failing-over PostgreSQL is back within
   * seconds.
   */
  private static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

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

  /**
   * Any exception nothing else answers: 503 with {@code Retry-After} if the database could not be
   * reached or the connection was lost (then the transaction did not commit, or its outcome is
   * unknown: a client repeats a POST with the same {@code Idempotency-Key}), otherwise 500, logged
   * with its stack trace and not shown to the client.
   */
  @ExceptionHandler
  ResponseEntity<Object> unexpected(Exception exception, WebRequest request) {
    if (DisconnectedClientHelper.isClientDisconnectedException(exception)) {
      return null; // nobody to answer
    }
    SQLException unreachable = databaseUnreachable(exception);
    if (unreachable != null) {
      log.warn(
          "Database unreachable, answering 503: {} (SQLState {})",
          unreachable.getMessage(),
          unreachable.getSQLState());
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.SERVICE_UNAVAILABLE,
              "The service cannot reach its database; try again after the Retry-After seconds");
      HttpHeaders headers = new HttpHeaders();
      headers.set(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER.toSeconds()));
      return handleExceptionInternal(
          exception, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
    }
    log.error("Unexpected error answering {}", request.getDescription(false), exception);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it has been logged");
    return handleExceptionInternal(
        exception, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
  }

  /**
   * The JDBC exception among the causes that says the database cannot be reached or the connection
   * is gone, whatever Spring or Hibernate wrapped it in: the pool's timeout ({@code
   * SQLTransientConnectionException}), SQLState class 08 (connection exception, e.g. a closed
   * connection), 53 (insufficient resources, e.g. too many connections) or 57P (the server shutting
   * down, crashed or starting), or Hikari's closed connection; {@code null} if there is none.
   *
   * <p>Hikari closes a connection that failed with such a state and hands out a stand-in that
   * answers everything with {@code SQLException("Connection is closed")}, with no state. The
   * rollback after the failure then fails on it, and Spring throws that failure in place of the
   * first (fault scenario 5 answered 500 for it, on a cancel).
   */
  private static SQLException databaseUnreachable(Throwable exception) {
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && (sql instanceof SQLTransientConnectionException
              || sql instanceof SQLNonTransientConnectionException
              || hasStateClass(sql, "08", "53", "57P")
              || (sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage())))) {
        return sql;
      }
    }
    return null;
  }

  private static boolean hasStateClass(SQLException exception, String... prefixes) {
    String state = exception.getSQLState();
    return state != null && Stream.of(prefixes).anyMatch(state::startsWith);
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
