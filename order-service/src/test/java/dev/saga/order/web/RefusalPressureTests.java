package dev.saga.order.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RefusalPressureTests {

  private final AtomicLong now = new AtomicLong(1_000);
  private final RefusalPressure pressure = new RefusalPressure(now::get);

  @Test
  void isTheRefusalsPerAdmittedOrderOverTheWindow() {
    times(20, pressure::admitted);
    times(99, pressure::refused);

    assertThat(pressure.refused()).isEqualTo(5.0);
  }

  @Test
  void isOneWhileFewerRefusalsThanTheMinimumWereCounted() {
    times(RefusalPressure.MIN_REFUSALS - 1, pressure::refused);
    assertThat(pressure.refused()).isEqualTo((double) RefusalPressure.MIN_REFUSALS);

    RefusalPressure quiet = new RefusalPressure(now::get);
    times(RefusalPressure.MIN_REFUSALS - 2, quiet::refused);
    assertThat(quiet.refused()).isEqualTo(1.0);
  }

  @Test
  void isNeverBelowOne() {
    times(1_000, pressure::admitted);
    times(RefusalPressure.MIN_REFUSALS - 1, pressure::refused);

    assertThat(pressure.refused()).isEqualTo(1.0);
  }

  @Test
  void forgetsWhatIsOlderThanTheWindow() {
    times(10, pressure::admitted);
    times(200, pressure::refused);
    now.addAndGet(RefusalPressure.WINDOW_SECONDS - 1);
    times(10, pressure::admitted);
    assertThat(pressure.refused()).isEqualTo(201.0 / 20);

    now.addAndGet(1);

    // The first second's 10 admissions and 200 refusals have left the window.
    times(60, pressure::refused);
    assertThat(pressure.refused()).isEqualTo(62.0 / 10);
  }

  private static void times(int n, Runnable action) {
    IntStream.range(0, n).forEach(i -> action.run());
  }
}
