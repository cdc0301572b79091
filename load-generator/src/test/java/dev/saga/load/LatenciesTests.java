package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatenciesTests {

  @Test
  void answersNearestRankPercentilesOfEverySample() {
    Latencies latencies = new Latencies();
    for (int i = 100; i >= 1; i--) {
      latencies.add(Duration.ofMillis(i));
    }

    assertThat(latencies.count()).isEqualTo(100);
    assertThat(latencies.percentile(50)).isEqualTo(Duration.ofMillis(50));
    assertThat(latencies.percentile(95)).isEqualTo(Duration.ofMillis(95));
    assertThat(latencies.percentile(99)).isEqualTo(Duration.ofMillis(99));
    assertThat(latencies.percentile(100)).isEqualTo(Duration.ofMillis(100));
    assertThat(latencies.max()).isEqualTo(Duration.ofMillis(100));
    assertThat(latencies.mean()).isEqualTo(Duration.ofNanos(50_500_000));
  }

  @Test
  void keepsMicrosecondsAndGrowsPastItsFirstCapacity() {
    Latencies latencies = new Latencies();
    for (int i = 0; i < 5000; i++) {
      latencies.add(Duration.ofNanos(1_500));
    }
    latencies.add(Duration.ofNanos(2_999));

    assertThat(latencies.count()).isEqualTo(5001);
    assertThat(latencies.percentile(50)).isEqualTo(Duration.ofNanos(1_000));
    assertThat(latencies.max()).isEqualTo(Duration.ofNanos(2_000));
    assertThat(Latencies.millis(Duration.ofNanos(12_345_000))).isEqualTo("12.3");
  }

  @Test
  void answersZeroWithoutSamples() {
    assertThat(new Latencies().percentile(99)).isZero();
    assertThat(new Latencies().max()).isZero();
  }
}
