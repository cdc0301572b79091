package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.ProductChanged;
import dev.saga.test.ServiceTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Measures the outbox relay on demand ({@code -Dmeasure.relay=true}; see BENCHMARKS.md): how fast
 * it drains a backlog, and its commit-to-acknowledgement latency (its own {@code
 * saga.outbox.publish.latency} histogram) while events are committed at a steady rate, one per
 * transaction. Synchronous commit is forced on, whatever the test server's default.
 */
@ServiceTest(
    properties = {
      "spring.datasource.hikari.connection-init-sql=set synchronous_commit to on",
      "spring.datasource.hikari.maximum-pool-size=16"
    })
@EnabledIfSystemProperty(named = "measure.relay", matches = "true")
class OutboxRelayBenchmarkTests {

  private static final int BACKLOG = 50_000;
  private static final Duration STEADY = Duration.ofSeconds(30);

  @Autowired Outbox outbox;
  @Autowired TransactionTemplate transactions;
  @Autowired MeterRegistry meters;

  @Test
  void measuresTheRelay() throws Exception {
    // Warm up the JIT, the pools and the producer first.
    steady(500, Duration.ofSeconds(10));
    System.out.println(
        "| committed events/s, one per transaction | published | p50 ms | p99 ms | max ms (at most) |");
    System.out.println("|---:|---:|---:|---:|---:|");
    for (int rate : List.of(100, 500, 1000)) {
      double[] latency = steady(rate, STEADY);
      System.out.printf(
          "| %d | %.0f | %.2f | %.2f | %.2f |%n",
          rate, latency[0], latency[1], latency[2], latency[3]);
    }
    System.out.printf("%nBacklog of %d events, committed in one transaction: ", BACKLOG);
    System.out.printf("drained at %.0f events/s%n", drain());
  }

  /** Commits {@code rate} events a second for {@code duration}; count, p50, p99, max (ms). */
  private double[] steady(int rate, Duration duration) throws Exception {
    Timer timer = meters.get("saga.outbox.publish.latency").timer();
    HistogramSnapshot before = timer.takeSnapshot();
    long events = rate * duration.toSeconds();
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
      for (long i = 0; i < events; i++) {
        LockSupport.parkNanos(start + i * interval - System.nanoTime());
        writers.submit(() -> transactions.executeWithoutResult(status -> outbox.add(product())));
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> timer.takeSnapshot().count() - before.count() >= events);
    HistogramSnapshot after = timer.takeSnapshot();
    return new double[] {
      after.count() - before.count(),
      quantile(before, after, 0.5),
      quantile(before, after, 0.99),
      // The timer's own max spans every window (and the warm-up); this is the window's.
      quantile(before, after, 1.0)
    };
  }

  /** Events per second from the commit of a backlog to the last acknowledgement. */
  private double drain() {
    Counter published = meters.get("saga.outbox.published").counter();
    double before = published.count();
    List<ProductChanged> backlog = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      backlog.add(product());
    }
    transactions.executeWithoutResult(status -> backlog.forEach(outbox::add));
    long committed = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> published.count() - before >= BACKLOG);
    double seconds = (System.nanoTime() - committed) / 1e9;
    assertThat(published.count() - before).isEqualTo(BACKLOG);
    return BACKLOG / seconds;
  }

  /** Interpolated inside the bucket, as Prometheus' histogram_quantile does; milliseconds. */
  private static double quantile(HistogramSnapshot before, HistogramSnapshot after, double q) {
    CountAtBucket[] from = before.histogramCounts();
    CountAtBucket[] to = after.histogramCounts();
    double total = after.count() - before.count();
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (int i = 0; i < to.length; i++) {
      double count = to[i].count() - from[i].count();
      double upper = to[i].bucket(java.util.concurrent.TimeUnit.MILLISECONDS);
      if (count >= rank) {
        return lowerBound
            + (upper - lowerBound) * (rank - lowerCount) / Math.max(count - lowerCount, 1e-9);
      }
      lowerBound = upper;
      lowerCount = count;
    }
    return lowerBound;
  }

  private static ProductChanged product() {
    String id = "bench-" + UUID.randomUUID();
    return new ProductChanged(id, "Bench " + id, new BigDecimal("1.00"), "EUR", true, 1);
  }
}
