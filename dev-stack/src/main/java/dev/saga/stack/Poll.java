package dev.saga.stack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits for a condition by polling it until a deadline, failing early when waiting is futile. */
final class Poll {

  private static final long INTERVAL_MILLIS = 200;

  private Poll() {}

  /** One attempt; {@code true} when the condition holds. Exceptions count as "not yet". */
  @FunctionalInterface
  interface Probe {
    boolean holds() throws Exception;
  }

  /** Throws when the thing being waited for can no longer happen (e.g. its process died). */
  @FunctionalInterface
  interface Guard {
    void check();
  }

  static void until(String what, Duration timeout, Guard guard, Probe probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      guard.check();
      try {
        if (probe.holds()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        String cause = last == null ? "" : " (last error: " + last.getMessage() + ")";
        throw new IllegalStateException(
            "Timed out after " + timeout.toSeconds() + " s waiting for " + what + cause, last);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting", e);
    }
  }
}
