package dev.saga.load;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * What one refused order costs ({@code ./load-test.sh refusals}): against an order service that
 * refuses every order ({@code SAGA_ORDER_MAX_PENDING=0}), POSTs valid orders at a fixed rate and
 * reports the CPU time and database transactions of each process per refusal, net of what the same
 * processes spend idle in as long a time. A warm-up at the same rate comes first, unmeasured: the
 * first refusals run interpreted. The tenth round of BENCHMARKS.md estimated a refusal's cost from
 * a regression across runs; this measures it directly.
 */
final class RefusalCost {

  /**
   * The order POSTed: valid, so it is refused rather than rejected; its products need not exist.
   */
  private static final Map<String, Object> ORDER =
      Map.of(
          "customerId",
          "refusal-cost",
          "items",
          List.of(
              Map.of("productId", "refusal-cost-1", "quantity", 1),
              Map.of("productId", "refusal-cost-2", "quantity", 2)));

  private static final int THREADS = 8;

  private final SagaApi api;
  private final URI orderService;
  private final Supplier<CostCounters.Sample> counters;
  private final double rate;
  private final Duration duration;
  private final Duration warmup;
  private final PrintStream out;

  RefusalCost(
      SagaApi api,
      URI orderService,
      Supplier<CostCounters.Sample> counters,
      double rate,
      Duration duration,
      Duration warmup,
      PrintStream out) {
    if (rate <= 0) {
      throw new IllegalArgumentException("--rate must be positive, not " + rate);
    }
    this.api = api;
    this.orderService = orderService;
    this.counters = counters;
    this.rate = rate;
    this.duration = duration;
    this.warmup = warmup;
    this.out = out;
  }

  /** Measures and prints; false when the order service answered anything but 429. */
  boolean run() {
    if (!warmup.isZero()) {
      out.printf("[refusals] warm-up: %s at %.0f/s, %s%n", warmup, rate, post(warmup).answers);
    }
    CostCounters.Sample idleStart = counters.get();
    sleep(duration);
    CostCounters.Sample idleEnd = counters.get();
    CostCounters.Sample start = counters.get();
    Posted posted = post(duration);
    CostCounters.Sample end = counters.get();

    long refused = posted.answers.getOrDefault(429, 0L);
    out.printf(
        Locale.ROOT,
        "[refusals] %d POSTs in %.1f s (%.1f/s), answered %s%n",
        posted.total(),
        posted.seconds,
        posted.total() / posted.seconds,
        posted.answers);
    if (refused == 0) {
      out.println("[refusals] nothing was refused: start the order service with max-pending 0");
      return false;
    }
    double idleSeconds = seconds(idleStart, idleEnd);
    double busySeconds = seconds(start, end);
    out.println();
    out.println("| per refused POST | CPU ms, net of idle | CPU ms per s idle |");
    out.println("|---|---:|---:|");
    double total = 0;
    for (String process : start.cpuMillis().keySet()) {
      double idlePerSecond =
          delta(idleStart.cpuMillis(), idleEnd.cpuMillis(), process) / idleSeconds;
      double net =
          (delta(start.cpuMillis(), end.cpuMillis(), process) - idlePerSecond * busySeconds)
              / refused;
      total += net;
      out.printf(Locale.ROOT, "| %s | %.3f | %.1f |%n", process, net, idlePerSecond);
    }
    out.printf(Locale.ROOT, "| **all** | **%.3f** | |%n", total);
    Map<String, Long> commits = new TreeMap<>();
    start.commits().forEach((db, count) -> commits.put(db, end.commits().get(db) - count));
    out.printf(
        Locale.ROOT,
        "%n[refusals] DB transactions committed per refused POST: %s%n",
        commits.entrySet().stream()
            .map(
                e ->
                    String.format(
                        Locale.ROOT, "%s %.2f", e.getKey(), (double) e.getValue() / refused))
            .toList());
    if (refused != posted.total()) {
      out.println("[refusals] not every POST was refused: the numbers above mix in other answers");
      return false;
    }
    return true;
  }

  private record Posted(Map<Integer, Long> answers, double seconds) {
    long total() {
      return answers.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * POSTs {@link #ORDER} at {@link #rate} for {@code time}, from {@link #THREADS} threads each
   * keeping its share of the rate; -1 counts a POST that failed without an answer.
   */
  private Posted post(Duration time) {
    Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    long stop = started + time.toNanos();
    long interval = (long) (THREADS * 1e9 / rate);
    try (ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
      for (int t = 0; t < THREADS; t++) {
        long first = started + t * interval / THREADS;
        threads.execute(
            () -> {
              for (long next = first; next < stop; next += interval) {
                LockSupport.parkNanos(next - System.nanoTime());
                int status;
                try {
                  status =
                      api.post(
                              orderService,
                              "/api/orders",
                              ORDER,
                              "Idempotency-Key",
                              UUID.randomUUID().toString())
                          .status();
                } catch (RuntimeException e) {
                  status = -1;
                }
                answers.computeIfAbsent(status, s -> new LongAdder()).increment();
              }
            });
      }
    }
    Map<Integer, Long> counted = new TreeMap<>();
    answers.forEach((status, count) -> counted.put(status, count.sum()));
    return new Posted(counted, (System.nanoTime() - started) / 1e9);
  }

  private static double seconds(CostCounters.Sample from, CostCounters.Sample to) {
    return Duration.between(from.at(), to.at()).toNanos() / 1e9;
  }

  private static long delta(Map<String, Long> from, Map<String, Long> to, String key) {
    return to.getOrDefault(key, 0L) - from.getOrDefault(key, 0L);
  }

  private static void sleep(Duration time) {
    try {
      Thread.sleep(time);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
