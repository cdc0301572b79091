package dev.saga.order.web;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * How many new orders the order service refused per order it admitted over the last few seconds:
 * under overload, most refused clients are the same clients coming back after their {@code
 * Retry-After}, each refusal costs CPU the saga is short of (BENCHMARKS.md, eleventh round), and
 * this ratio says by how much their {@code Retry-After} should grow to bring them back about as
 * often as orders can be admitted.
 *
 * <p>A handful of refusals is no such pressure: below {@value #MIN_REFUSALS} in the window the
 * factor is 1.
 */
final class RefusalPressure {

  /** The window, in one-second buckets. */
  static final int WINDOW_SECONDS = 5;

  /** Fewer refusals than this in the window leave {@code Retry-After} as the rule gives it. */
  static final int MIN_REFUSALS = 50;

  private final LongSupplier seconds;
  private final long[] bucketSecond = new long[WINDOW_SECONDS];
  private final long[] admitted = new long[WINDOW_SECONDS];
  private final long[] refused = new long[WINDOW_SECONDS];

  RefusalPressure() {
    this(() -> System.nanoTime() / 1_000_000_000L);
  }

  /**
   * @param seconds a monotonic clock in whole seconds
   */
  RefusalPressure(LongSupplier seconds) {
    this.seconds = seconds;
    Arrays.fill(bucketSecond, Long.MIN_VALUE);
  }

  /** Counts an admitted order. */
  synchronized void admitted() {
    admitted[bucket(seconds.getAsLong())]++;
  }

  /**
   * Counts a refused order.
   *
   * @return the refusals per admitted order in the window, this one included; at least 1, and 1
   *     while fewer than {@value #MIN_REFUSALS} were refused
   */
  synchronized double refused() {
    long now = seconds.getAsLong();
    refused[bucket(now)]++;
    long refusals = 0;
    long admissions = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      if (bucketSecond[i] > now - WINDOW_SECONDS) {
        refusals += refused[i];
        admissions += admitted[i];
      }
    }
    return refusals < MIN_REFUSALS ? 1 : Math.max(1, (double) refusals / Math.max(1, admissions));
  }

  private int bucket(long now) {
    int i = (int) Math.floorMod(now, (long) WINDOW_SECONDS);
    if (bucketSecond[i] != now) {
      bucketSecond[i] = now;
      admitted[i] = 0;
      refused[i] = 0;
    }
    return i;
  }
}
