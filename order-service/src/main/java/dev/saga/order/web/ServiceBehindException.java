package dev.saga.order.web;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A new order refused because the order service is too far behind on the saga's events: 429 Too
 * Many Requests, as problem details, with {@code Retry-After} as many whole seconds as the service
 * is behind. Asking for less (one second) brought the refused clients back while the backlog was
 * still there, hundreds of times a second (BENCHMARKS.md, sixth round).
 */
class ServiceBehindException extends ErrorResponseException {

  ServiceBehindException(Duration behind, Duration allowed) {
    super(HttpStatus.TOO_MANY_REQUESTS, problem(behind, allowed), null);
    getHeaders()
        .set(
            HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, (behind.toMillis() + 999) / 1000)));
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
