package dev.saga.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.saga.events.CancelOrder;
import dev.saga.messaging.ListenerDelay;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How far behind the saga is: the order service's listeners, or its recent decisions. */
class SagaDelayTests {

  private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

  private final ListenerDelay listeners = mock(ListenerDelay.class);
  private final MutableClock clock = new MutableClock();
  private final SagaDelay delay = new SagaDelay(listeners, clock);

  @BeforeEach
  void listenersKeepUp() {
    given(listeners.current()).willReturn(Duration.ZERO);
  }

  @Test
  void isZeroWhileNothingWasDecidedAndTheListenersKeepUp() {
    assertThat(delay.current()).isZero();
  }

  @Test
  void readsTheSlowestOrderDecidedInTheLastSecond() {
    delay.on(decided(OrderStatus.CONFIRMED, null, 900));
    clock.advance(200);
    delay.on(decided(OrderStatus.CANCELLED, CancelOrder.Reason.OUT_OF_STOCK, 2_500));
    clock.advance(200);
    delay.on(decided(OrderStatus.CANCELLED, CancelOrder.Reason.PAYMENT_DECLINED, 1_200));
    clock.advance(200);
    delay.on(decided(OrderStatus.CONFIRMED, null, 300));

    assertThat(delay.current()).isEqualTo(Duration.ofMillis(2_500));

    // A second after the slowest one, the slowest of those decided since.
    clock.advance(600);
    assertThat(delay.current()).isEqualTo(Duration.ofMillis(2_500));
    clock.advance(1);
    assertThat(delay.current()).isEqualTo(Duration.ofMillis(1_200));
    clock.advance(200);
    assertThat(delay.current()).isEqualTo(Duration.ofMillis(300));
    clock.advance(200);
    assertThat(delay.current()).isZero();
  }

  @Test
  void aFasterDecisionDoesNotHideASlowerOneOfTheSameSecond() {
    delay.on(decided(OrderStatus.CONFIRMED, null, 3_000));
    for (int i = 0; i < 9; i++) {
      clock.advance(100);
      delay.on(decided(OrderStatus.CONFIRMED, null, 20));
    }

    assertThat(delay.current()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void readsTheListenersWhenTheyAreFurtherBehind() {
    delay.on(decided(OrderStatus.CONFIRMED, null, 1_500));
    given(listeners.current()).willReturn(Duration.ofMillis(4_000));

    assertThat(delay.current()).isEqualTo(Duration.ofSeconds(4));

    given(listeners.current()).willReturn(Duration.ofMillis(1_000));
    assertThat(delay.current()).isEqualTo(Duration.ofMillis(1_500));
  }

  @Test
  void leavesOutCustomerCancelsTheDeadlineAndChangesThatDecideNothing() {
    delay.on(decided(OrderStatus.CANCELLED, CancelOrder.Reason.CUSTOMER_CANCELLED, 5_000));
    delay.on(decided(OrderStatus.CANCELLED, CancelOrder.Reason.TIMEOUT, 30_000));
    delay.on(new OrderActivity(order(OrderStatus.CONFIRMED, null, 8_000), List.of(), false));

    assertThat(delay.current()).isZero();
  }

  private OrderActivity decided(OrderStatus status, CancelOrder.Reason reason, long tookMillis) {
    return new OrderActivity(order(status, reason, tookMillis), List.of(), true);
  }

  private OrderSummary order(OrderStatus status, CancelOrder.Reason reason, long tookMillis) {
    Instant decidedAt = clock.instant();
    return new OrderSummary(
        UUID.randomUUID(),
        "C-1",
        status,
        reason,
        new BigDecimal("15.00"),
        "EUR",
        decidedAt.minusMillis(tookMillis),
        decidedAt,
        null);
  }

  private static final class MutableClock extends Clock {

    private Instant now = START;

    void advance(long millis) {
      now = now.plusMillis(millis);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
