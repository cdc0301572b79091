package dev.saga.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.saga.messaging.ListenerDelay;
import dev.saga.order.OrderProperties;
import dev.saga.order.PendingOrders;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** How long a refused client is asked to wait: the rule's time, longer the more are refused. */
class OrderAdmissionTests {

  private static final Duration BEHIND = Duration.ofMillis(2_500);

  private final ListenerDelay listenerDelay = mock(ListenerDelay.class);
  private final PendingOrders pending = mock(PendingOrders.class);

  @Test
  void asksRefusedClientsToWaitLongerTheMoreAreRefusedPerAdmittedOrder() {
    OrderAdmission admission = admission(Duration.ofSeconds(30));
    admit(admission, 10);

    List<String> retryAfter = refuse(admission, 100, BEHIND);

    // The rule's 2.5 s, rounded up, until 50 refusals in the window; then 2.5 s times the
    // refusals per admitted order: 50 / 10, 100 / 10.
    assertThat(retryAfter.subList(0, 49)).containsOnly("3");
    assertThat(retryAfter.get(49)).isEqualTo("13");
    assertThat(retryAfter.get(99)).isEqualTo("25");
  }

  @Test
  void asksForNoMoreThanTheMaximumUnlessTheRuleItselfDoes() {
    OrderAdmission admission = admission(Duration.ofSeconds(10));
    admit(admission, 1);

    assertThat(refuse(admission, 100, BEHIND).getLast()).isEqualTo("10");
    assertThat(refuse(admission, 1, Duration.ofSeconds(40))).containsExactly("40");
  }

  @Test
  void answersTheRulesTimeAloneWhenTheMaximumIsZero() {
    OrderAdmission admission = admission(Duration.ZERO);
    admit(admission, 1);

    assertThat(refuse(admission, 100, BEHIND)).containsOnly("3");
  }

  private OrderAdmission admission(Duration maxRetryAfter) {
    return new OrderAdmission(
        listenerDelay,
        pending,
        new OrderProperties(
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofHours(24),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            32,
            maxRetryAfter));
  }

  private void admit(OrderAdmission admission, int orders) {
    given(listenerDelay.current()).willReturn(Duration.ZERO);
    given(pending.count()).willReturn(new PendingOrders.Count(0, Optional.empty()));
    IntStream.range(0, orders).forEach(i -> assertThat(post(admission)).isNull());
  }

  /** Refuses {@code orders} new orders by the listeners being {@code behind}; their Retry-After. */
  private List<String> refuse(OrderAdmission admission, int orders, Duration behind) {
    given(listenerDelay.current()).willReturn(behind);
    return IntStream.range(0, orders)
        .mapToObj(i -> post(admission).getHeaders().getFirst("Retry-After"))
        .toList();
  }

  private static ServiceBehindException post(OrderAdmission admission) {
    return catchThrowableOfType(
        ServiceBehindException.class,
        () ->
            admission.preHandle(
                new MockHttpServletRequest("POST", "/api/orders"),
                new MockHttpServletResponse(),
                new Object()));
  }
}
