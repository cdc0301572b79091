package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ListenerDelayTests {

  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  private final ListenerDelay delay = new ListenerDelay(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void isZeroWhileNoListenerAppliesARecord() {
    assertThat(delay.current()).isZero();

    delay.started(NOW.minusSeconds(3).toEpochMilli());
    delay.finished();

    assertThat(delay.current()).isZero();
  }

  @Test
  void isTheAgeOfTheOldestRecordBeingApplied() throws Exception {
    delay.started(NOW.minusMillis(250).toEpochMilli());
    CountDownLatch done = new CountDownLatch(1);
    Thread applying =
        Thread.ofPlatform()
            .start(
                () -> {
                  delay.started(NOW.minusSeconds(4).toEpochMilli());
                  try {
                    done.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  delay.finished();
                });
    await().until(() -> delay.current().equals(Duration.ofSeconds(4)));
    done.countDown();
    applying.join();

    assertThat(delay.current()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void forgetsAThreadThatEndedInsideARecord() throws Exception {
    Thread ended =
        Thread.ofPlatform().start(() -> delay.started(NOW.minusSeconds(60).toEpochMilli()));
    ended.join();

    assertThat(delay.current()).isZero();
  }

  @Test
  void readsARecordFromTheFutureOrWithoutATimestampAsZero() {
    delay.started(NOW.plusSeconds(2).toEpochMilli());
    assertThat(delay.current()).isZero();

    delay.started(NOW.minusSeconds(10).toEpochMilli());
    delay.started(-1);
    assertThat(delay.current()).as("without a timestamp, after a record of 10 s ago").isZero();
  }
}
