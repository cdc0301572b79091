package dev.saga.order.web;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A new order refused because the saga is behind: 429 Too Many Requests, as problem details, with
 * {@code Retry-After} as many whole seconds as the saga takes now (at least one). Asking for less
 * than that (one second) brought the refused clients back while the backlog was still there,
 * hundreds of times a second (BENCHMARKS.md, sixth round).
 */
class ServiceBehindException extends ErrorResponseException {

  private ServiceBehindException(ProblemDetail problem, Duration retryAfter) {
    super(HttpStatus.TOO_MANY_REQUESTS, problem, null);
    getHeaders()
        .set(
            HttpHeaders.RETRY_AFTER,
            String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
  }

  /**
   * This service's listeners are {@code behind} on the saga's events, more than {@code allowed}.
   */
  static ServiceBehindException listenersBehind(Duration behind, Duration allowed) {
    ProblemDetail problem =
        problem(
            "The order service is "
                + behind.toMillis()
                + " ms behind on the saga's events (at most "
                + allowed.toMillis()
                + " ms before it takes new orders)");
    problem.setProperty("behindMillis", behind.toMillis());
    return new ServiceBehindException(problem, behind);
  }

  /**
   * {@code pending} orders are in their saga, not fewer than {@code allowed}; the oldest of them
   * was placed {@code oldestAge} ago.
   */
  static ServiceBehindException tooManyPending(long pending, int allowed, Duration oldestAge) {
    ProblemDetail problem =
        problem(
            pending
                + " orders are pending (the order service takes new ones while fewer than "
                + allowed
                + " are), the oldest for "
                + oldestAge.toMillis()
                + " ms");
    problem.setProperty("pendingOrders", pending);
    return new ServiceBehindException(problem, oldestAge);
  }

  private static ProblemDetail problem(String why) {
    return ProblemDetail.forStatusAndDetail(
        HttpStatus.TOO_MANY_REQUESTS, why + "; try again after the Retry-After seconds");
  }
}
