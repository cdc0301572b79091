package dev.saga.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

import dev.saga.messaging.ListenerDelay;
import dev.saga.order.OrderProperties;
import dev.saga.order.PendingOrders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** When the order service takes a new order: the listeners' delay, then the pending orders. */
class AdmissionTests {

  private final ListenerDelay listenerDelay = mock(ListenerDelay.class);
  private final PendingOrders pending = mock(PendingOrders.class);
  private final AtomicLong nanoTime = new AtomicLong(1_000_000_000L);
  private final Admission admission =
      new Admission(
          listenerDelay,
          pending,
          new OrderProperties(
              Duration.ofSeconds(30),
              Duration.ofSeconds(1),
              Duration.ofHours(24),
              Duration.ofSeconds(10),
              Duration.ofSeconds(10),
              Duration.ofSeconds(2),
              32),
          nanoTime::get);

  @BeforeEach
  void sagaKeepsUp() {
    given(listenerDelay.current()).willReturn(Duration.ofMillis(15));
    pendingOrders(3);
  }

  @Test
  void admitsWhileTheListenersAreAtMostTwoSecondsBehindAndFewerThanThirtyTwoArePending() {
    given(listenerDelay.current()).willReturn(Duration.ofSeconds(2));
    pendingOrders(31);

    assertThatNoException().isThrownBy(admission::admit);
  }

  @Test
  void refusesWhileTheListenersAreMoreThanTwoSecondsBehindWithoutCounting() {
    given(listenerDelay.current()).willReturn(Duration.ofMillis(2_001));

    ServiceBehindException refused = refused();

    assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("3");
    assertThat(refused.getBody().getProperties()).containsEntry("behindMillis", 2_001L);
    then(pending).shouldHaveNoInteractions();
  }

  @Test
  void refusesWhileThirtyTwoArePendingForAsLongAsTheOldestHasBeen() {
    given(pending.count())
        .willReturn(new PendingOrders.Count(32, Optional.of(Instant.now().minusMillis(2_500))));

    ServiceBehindException refused = refused();

    // At least 2.5 s, rounded up.
    assertThat(Integer.parseInt(refused.getHeaders().getFirst("Retry-After"))).isBetween(3, 60);
    assertThat(refused.getBody().getProperties()).containsEntry("pendingOrders", 32L);
    assertThat(refused.getBody().getDetail())
        .contains("32 orders are pending (the order service takes new ones while fewer than 32");
  }

  @Test
  void refusesByTheLastCountForTwentyMillisecondsThenCountsAgain() {
    pendingOrders(32);
    refused();
    pendingOrders(31);

    nanoTime.addAndGet(Duration.ofMillis(19).toNanos());
    assertThat(refused().getBody().getProperties()).containsEntry("pendingOrders", 32L);
    then(pending).should(times(1)).count();

    nanoTime.addAndGet(Duration.ofMillis(1).toNanos());
    assertThatNoException().isThrownBy(admission::admit);
    then(pending).should(times(2)).count();
  }

  @Test
  void admitsOnlyOnAFreshCount() {
    pendingOrders(31);

    admission.admit();
    nanoTime.addAndGet(1);
    admission.admit();

    then(pending).should(times(2)).count();
  }

  private void pendingOrders(long orders) {
    given(pending.count()).willReturn(new PendingOrders.Count(orders, Optional.of(Instant.now())));
  }

  private ServiceBehindException refused() {
    ServiceBehindException refused =
        catchThrowableOfType(ServiceBehindException.class, admission::admit);
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    return refused;
  }
}
