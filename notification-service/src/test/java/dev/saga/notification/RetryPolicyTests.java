package dev.saga.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTests {

  private final RetryPolicy retries =
      new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(60));

  @Test
  void doublesTheDelayAfterEachFailure() {
    assertThat(retries.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(retries.delayAfter(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(retries.delayAfter(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(retries.delayAfter(8)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void neverWaitsLongerThanTheCapEvenAfterVeryManyFailures() {
    assertThat(retries.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void refusesAnIntervalThatIsNotPositiveOrACapBelowIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
