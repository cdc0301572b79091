package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The loop both relays run: wake-ups, pauses, retries after failures, drain on stop. */
class WakeableWorkerTests {

  /** Runs {@code round} with the round's number (from 1) and records whether it drained. */
  private static final class Worker extends WakeableWorker {

    final AtomicInteger rounds = new AtomicInteger();
    final AtomicBoolean drained = new AtomicBoolean();
    private final IntFunction<Duration> round;

    Worker(IntFunction<Duration> round) {
      super("Test worker", "test-worker", Duration.ofSeconds(5));
      this.round = round;
    }

    @Override
    protected Duration work() {
      return round.apply(rounds.incrementAndGet());
    }

    @Override
    protected void drain() {
      drained.set(true);
    }
  }

  @Test
  void aWakeUpEndsTheSleepAtOnce() {
    Worker worker = new Worker(round -> Duration.ofMinutes(1));
    worker.start();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> worker.rounds.get() == 1);
      worker.wakeUp();
      await().atMost(Duration.ofSeconds(2)).until(() -> worker.rounds.get() == 2);
      await().during(Duration.ofMillis(300)).until(() -> worker.rounds.get() == 2);
    } finally {
      worker.stop();
    }
  }

  @Test
  void goesAgainAtOnceWhileThereIsWorkAndSleepsWhenThereIsNone() {
    Worker worker = new Worker(round -> round < 50 ? Duration.ZERO : Duration.ofMinutes(1));
    worker.start();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> worker.rounds.get() == 50);
      await().during(Duration.ofMillis(300)).until(() -> worker.rounds.get() == 50);
    } finally {
      worker.stop();
    }
  }

  @Test
  void aFailingRoundIsRetriedAfterADoublingPauseUntilItSucceeds() {
    AtomicLongArray at = new AtomicLongArray(4);
    Worker worker =
        new Worker(
            round -> {
              at.set(Math.min(round, 4) - 1, System.nanoTime());
              if (round <= 3) {
                throw new IllegalStateException("database away, round " + round);
              }
              return Duration.ofMinutes(1);
            });
    worker.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> at.get(3) != 0);
      // 0.2 s, then 0.4 s, then 0.8 s: at least that long, as no one woke it.
      assertThat(Duration.ofNanos(at.get(1) - at.get(0)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
      assertThat(Duration.ofNanos(at.get(2) - at.get(1)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(400));
      assertThat(Duration.ofNanos(at.get(3) - at.get(2)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(800));
    } finally {
      worker.stop();
    }
    assertThat(worker.drained).as("a worker whose last round succeeded drains").isTrue();
  }

  @Test
  void stopEndsTheLoopAndDrainsOnlyAfterASuccessfulRound() {
    Worker healthy = new Worker(round -> Duration.ofMinutes(1));
    healthy.start();
    healthy.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> healthy.rounds.get() == 1);
    healthy.stop();
    assertThat(healthy.isRunning()).isFalse();
    assertThat(healthy.drained).isTrue();
    assertThat(healthy.rounds).as("started once, however often asked").hasValue(1);

    Worker failing =
        new Worker(
            round -> {
              throw new IllegalStateException("broker away");
            });
    failing.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> failing.rounds.get() >= 1);
    failing.stop();
    assertThat(failing.isRunning()).isFalse();
    assertThat(failing.drained).as("with the database or broker away, nothing drains").isFalse();
  }
}
