package dev.saga.notification;

import java.time.Duration;

/**
 * How long a failed e-mail waits before the next attempt: doubling from {@code initialInterval},
 * never longer than {@code maxInterval}, and never giving up.
 */
record RetryPolicy(Duration initialInterval, Duration maxInterval) {

  RetryPolicy {
    if (initialInterval.isNegative()
        || initialInterval.isZero()
        || maxInterval.compareTo(initialInterval) < 0) {
      throw new IllegalArgumentException(
          "Need 0 < initialInterval <= maxInterval, not " + initialInterval + ", " + maxInterval);
    }
  }

  /** The pause after the {@code failures}-th failed attempt in a row (1 for the first). */
  Duration delayAfter(int failures) {
    Duration delay = initialInterval;
    for (int i = 1; i < failures && delay.compareTo(maxInterval) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxInterval) < 0 ? delay : maxInterval;
  }
}
