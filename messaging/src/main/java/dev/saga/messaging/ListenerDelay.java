package dev.saga.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How far behind this service's listeners are: how long ago the oldest record that a listener
 * container is applying right now was published (its Kafka timestamp), and zero while every
 * listener waits for records. Records of one partition are applied in order, so the record a
 * container is applying is the oldest one of its partition still to be applied: a service that
 * keeps up reads the time one record takes; one that falls behind reads how long records queue.
 *
 * <p>Read in memory, at no cost per read: the order service refuses new orders while it is too far
 * behind, and every service exports it as the gauge {@code saga.consumer.delay}. It relies on the
 * producers' clocks agreeing with this one; a record from the future, or without a timestamp, reads
 * as zero.
 */
public final class ListenerDelay implements MeterBinder {

  private final Clock clock;
  private final Map<Thread, Long> applying = new ConcurrentHashMap<>();

  ListenerDelay(Clock clock) {
    this.clock = clock;
  }

  /** The listener container on this thread starts applying a record published at this time. */
  void started(long publishedAtMillis) {
    if (publishedAtMillis >= 0) {
      applying.put(Thread.currentThread(), publishedAtMillis);
    } else {
      applying.remove(Thread.currentThread());
    }
  }

  /** The listener container on this thread is done with its record, applied or not. */
  void finished() {
    applying.remove(Thread.currentThread());
  }

  /** How long ago the oldest record being applied now was published; zero if none is. */
  public Duration current() {
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<Thread, Long> entry : applying.entrySet()) {
      if (!entry.getKey().isAlive()) {
        // A consumer thread that ended inside a record must not hold the delay up forever.
        applying.remove(entry.getKey(), entry.getValue());
      } else {
        oldest = Math.min(oldest, entry.getValue());
      }
    }
    return oldest == Long.MAX_VALUE
        ? Duration.ZERO
        : Duration.ofMillis(Math.max(0, clock.millis() - oldest));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    TimeGauge.builder(
            "saga.consumer.delay", this, TimeUnit.MILLISECONDS, delay -> delay.current().toMillis())
        .description(
            "How long ago the oldest record a listener is applying now was published; 0 while"
                + " every listener waits for records")
        .register(registry);
  }
}
