package dev.saga.order.web;

import dev.saga.messaging.ListenerDelay;
import dev.saga.order.OrderProperties;
import dev.saga.order.PendingOrders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses a new order while the saga is behind: when this service's listeners are more than {@code
 * saga.order.max-listener-delay} behind on the saga's events, or {@code saga.order.max-pending}
 * orders are pending, {@code POST /api/orders} is answered 429 with {@code Retry-After}, shedding
 * load where the CPU is short rather than letting every order queue into its deadline. A repeated
 * request (same {@code Idempotency-Key}) is refused too and gets its stored response when it comes
 * back.
 *
 * <p>An interceptor rather than a call in the controller, so that the refusal comes before the body
 * is read and validated: those were a quarter of a refused POST's samples in a profile of the order
 * service, and refusing first took 14-17 % off its CPU per refusal (BENCHMARKS.md, eleventh round).
 * The listeners' delay is known in memory; the pending orders take one read.
 */
@Component
class OrderAdmission implements HandlerInterceptor, WebMvcConfigurer {

  private final ListenerDelay listenerDelay;
  private final PendingOrders pending;
  private final Duration maxListenerDelay;
  private final int maxPending;

  OrderAdmission(ListenerDelay listenerDelay, PendingOrders pending, OrderProperties properties) {
    this.listenerDelay = listenerDelay;
    this.pending = pending;
    this.maxListenerDelay = properties.maxListenerDelay();
    this.maxPending = properties.maxPending();
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns("/api/orders");
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if ("POST".equals(request.getMethod())) {
      admit();
    }
    return true;
  }

  private void admit() {
    Duration behind = listenerDelay.current();
    if (behind.compareTo(maxListenerDelay) > 0) {
      throw ServiceBehindException.listenersBehind(behind, maxListenerDelay);
    }
    PendingOrders.Count count = pending.count();
    if (count.orders() >= maxPending) {
      Duration oldestAge =
          count.oldest().map(at -> Duration.between(at, Instant.now())).orElse(Duration.ZERO);
      throw ServiceBehindException.tooManyPending(count.orders(), maxPending, oldestAge);
    }
  }
}
