package dev.saga.order.web;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A new order refused because the order service is too far behind on the saga's events: 429 Too
 * Many Requests with {@code Retry-After}, as problem details.
 */
class ServiceBehindException extends ErrorResponseException {

  ServiceBehindException(Duration behind, Duration allowed) {
    super(HttpStatus.TOO_MANY_REQUESTS, problem(behind, allowed), null);
    long excessMillis = behind.minus(allowed).toMillis();
    getHeaders()
        .set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, (excessMillis + 999) / 1000)));
  }

  private static ProblemDetail problem(Duration behind, Duration allowed) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.TOO_MANY_REQUESTS,
            "The order service is "
                + behind.toMillis()
                + " ms behind on the saga's events (at most "
                + allowed.toMillis()
                + " ms before it takes new orders); try again after the Retry-After seconds");
    problem.setProperty("behindMillis", behind.toMillis());
    return problem;
  }
}
