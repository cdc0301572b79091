package dev.saga.load;

import java.time.Duration;
import java.util.Arrays;

/** Exact percentiles of a set of durations (every sample is kept; a run has at most millions). */
final class Latencies {

  private long[] micros = new long[1024];
  private int count;

  synchronized void add(Duration latency) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, count * 2);
    }
    micros[count++] = latency.toNanos() / 1_000;
  }

  synchronized int count() {
    return count;
  }

  /**
   * The nearest-rank percentile: the smallest sample that at least {@code percent} % of the samples
   * do not exceed.
   */
  synchronized Duration percentile(double percent) {
    if (count == 0) {
      return Duration.ZERO;
    }
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * count);
    return Duration.ofNanos(sorted[Math.max(0, Math.min(count, rank) - 1)] * 1_000);
  }

  synchronized Duration max() {
    return count == 0
        ? Duration.ZERO
        : Duration.ofNanos(Arrays.stream(micros, 0, count).max().orElse(0) * 1_000);
  }

  synchronized Duration mean() {
    return count == 0
        ? Duration.ZERO
        : Duration.ofNanos((long) Arrays.stream(micros, 0, count).average().orElse(0) * 1_000);
  }

  /** Milliseconds with one decimal, e.g. {@code 12.3}. */
  static String millis(Duration duration) {
    return String.format("%.1f", duration.toNanos() / 1e6);
  }
}
