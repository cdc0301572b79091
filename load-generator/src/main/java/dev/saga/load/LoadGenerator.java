package dev.saga.load;

import dev.saga.load.Mix.Kind;
import dev.saga.load.SagaEventTap.Timeline;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Places orders over the public API, open loop at a fixed rate or closed loop as fast as the system
 * answers, waits until every order is terminal, and measures: latency from POST to the outcome
 * (from the outcome events, never by polling), throughput, the outbox relays' publish latency (from
 * their histogram, scraped before and after), and optionally what each order cost.
 */
public final class LoadGenerator {

  /** PostgreSQL backends flush their statistics within 10 s of going idle. */
  private static final Duration STATISTICS_SETTLE = Duration.ofSeconds(11);

  private static final Duration BASELINE = Duration.ofSeconds(10);
  private static final String OUTBOX_HISTOGRAM = "saga_outbox_publish_latency_seconds";

  private final LoadSettings settings;
  private final SagaApi api;
  private final PrintStream out;
  private final InvariantChecker quiet;

  public LoadGenerator(LoadSettings settings, SagaApi api, PrintStream out) {
    this.settings = settings;
    this.api = api;
    this.out = out;
    this.quiet = new InvariantChecker(api, settings.endpoints());
  }

  /** One order the generator placed. */
  record Placed(
      Kind kind,
      String orderId,
      Instant sentAt,
      long intendedNanos,
      long sentNanos,
      long answeredNanos,
      Timeline timeline) {

    boolean terminal() {
      return timeline.outcome() != null;
    }
  }

  /** The orders of one phase and the requests that failed. */
  static final class Phase {
    final List<Placed> placed = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

    /**
     * POSTs the order service refused with 429 or 503 (each retried after its Retry-After), by the
     * rule that refused them ({@link SagaApi#refusal}).
     */
    final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();

    Instant startedAt;
    Instant endedAt;
    long startNanos;
    long endNanos;

    void error(String what) {
      errors.computeIfAbsent(what, key -> new AtomicLong()).incrementAndGet();
    }

    void refused(SagaApi.Response refusal) {
      refused.computeIfAbsent(SagaApi.refusal(refusal), key -> new AtomicLong()).incrementAndGet();
    }

    long refusedCount() {
      return refused.values().stream().mapToLong(AtomicLong::get).sum();
    }

    List<Placed> snapshot() {
      synchronized (placed) {
        return List.copyOf(placed);
      }
    }

    long terminal() {
      return snapshot().stream().filter(Placed::terminal).count();
    }

    long errorCount() {
      return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }
  }

  public LoadReport run() {
    String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    out.printf("[load] run %s: %s%n", runId, settings.describe());
    Fixtures fixtures = Fixtures.create(api, settings.endpoints(), runId, settings.hotStock());
    awaitQuiet("the order service to see the new products");
    try (SagaEventTap tap = new SagaEventTap(settings.bootstrapServers()).start();
        CostCounters cost =
            settings.cost()
                ? new CostCounters(
                    settings.endpoints().orderDatabase(),
                    settings.bootstrapServers(),
                    settings.processPorts())
                : null) {
      if (!settings.warmup().isZero()) {
        out.printf("[load] warm-up for %d s%n", settings.warmup().toSeconds());
        Phase warmup = drive(fixtures, tap, settings.warmup(), 0);
        awaitTerminal(warmup);
      }
      CostCounters.Sample idleStart = null;
      CostCounters.Sample start = null;
      if (cost != null) {
        awaitQuiet("the warm-up to settle");
        out.printf(
            "[load] measuring the idle baseline (%d s); processes: %s%n",
            (STATISTICS_SETTLE.plus(BASELINE)).toSeconds(), cost.processes());
        pause(STATISTICS_SETTLE);
        idleStart = cost.sample();
        pause(BASELINE);
        start = cost.sample();
      }
      Map<URI, PrometheusHistogram> outboxBefore = scrapeOutboxLatency();
      out.println("[load] measuring");
      Phase phase = drive(fixtures, tap, settings.duration(), settings.orders());
      boolean allTerminal = awaitTerminal(phase);
      awaitQuiet("the relays and consumers to finish");
      Map<URI, PrometheusHistogram> outboxLatency = new LinkedHashMap<>();
      scrapeOutboxLatency()
          .forEach(
              (service, after) ->
                  outboxLatency.put(
                      service,
                      after.minus(outboxBefore.getOrDefault(service, PrometheusHistogram.EMPTY))));
      CostCounters.Sample end = null;
      if (cost != null) {
        pause(STATISTICS_SETTLE);
        end = cost.sample();
      }
      return new LoadReport(
          settings, runId, phase, allTerminal, outboxLatency, idleStart, start, end);
    }
  }

  /**
   * Places orders for {@code duration} (or until {@code maxOrders}, if above 0) and returns once
   * every request has been answered.
   */
  private Phase drive(Fixtures fixtures, SagaEventTap tap, Duration duration, int maxOrders) {
    Phase phase = new Phase();
    phase.startedAt = Instant.now();
    phase.startNanos = System.nanoTime();
    long deadline =
        maxOrders > 0 && duration.compareTo(Duration.ofDays(1)) >= 0
            ? Long.MAX_VALUE
            : phase.startNanos + duration.toNanos();
    long limit = maxOrders > 0 ? maxOrders : Long.MAX_VALUE;
    try (Progress ignored = new Progress(phase, settings.progressInterval());
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      if (settings.openLoop()) {
        double interval = 1e9 / settings.rate();
        for (long i = 0; i < limit; i++) {
          long intended = phase.startNanos + (long) (i * interval);
          if (intended >= deadline) {
            break;
          }
          LockSupport.parkNanos(intended - System.nanoTime());
          clients.submit(() -> place(fixtures, tap, phase, intended));
        }
      } else {
        AtomicLong issued = new AtomicLong();
        for (int customer = 0; customer < settings.concurrency(); customer++) {
          clients.submit(
              () -> {
                while (System.nanoTime() < deadline && issued.getAndIncrement() < limit) {
                  Placed placed = place(fixtures, tap, phase, System.nanoTime());
                  if (placed != null) {
                    awaitOutcome(placed);
                  }
                }
              });
        }
      }
    }
    phase.endNanos = System.nanoTime();
    phase.endedAt = Instant.now();
    return phase;
  }

  private Placed place(Fixtures fixtures, SagaEventTap tap, Phase phase, long intendedNanos) {
    Kind kind = settings.mix().pick(ThreadLocalRandom.current());
    Map<String, Object> body = fixtures.order(kind, ThreadLocalRandom.current());
    String[] headers =
        settings.idempotencyKeys()
            ? new String[] {"Idempotency-Key", UUID.randomUUID().toString()}
            : new String[0];
    SagaApi.Placement placement;
    try {
      placement =
          api.placeOrder(
              settings.endpoints().order(),
              body,
              settings.timeout(),
              phase::refused,
              () -> ThreadLocalRandom.current().nextDouble(),
              headers);
    } catch (RuntimeException e) {
      phase.error("POST /api/orders: " + e.getClass().getSimpleName());
      return null;
    }
    long answeredNanos = System.nanoTime();
    if (placement.response().status() != 201) {
      phase.error("POST /api/orders: " + placement.response().status());
      return null;
    }
    String orderId = placement.response().body().get("orderId").asString();
    Placed placed =
        new Placed(
            kind,
            orderId,
            placement.sentAt(),
            intendedNanos,
            placement.sentNanos(),
            answeredNanos,
            tap.timeline(orderId));
    phase.placed.add(placed);
    if (kind == Kind.CANCEL) {
      try {
        int status =
            api.post(settings.endpoints().order(), "/api/orders/" + orderId + "/cancel", null)
                .status();
        // 409: the saga confirmed the order before the customer changed their mind.
        if (status != 202 && status != 409) {
          phase.error("POST /api/orders/{id}/cancel: " + status);
        }
      } catch (RuntimeException e) {
        phase.error("POST /api/orders/{id}/cancel: " + e.getClass().getSimpleName());
      }
    }
    return placed;
  }

  private void awaitOutcome(Placed placed) {
    try {
      placed.timeline().terminal.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Reported as not terminal at the end; the customer moves on.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean awaitTerminal(Phase phase) {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    try (Progress ignored = new Progress(phase, settings.progressInterval())) {
      for (Placed placed : phase.snapshot()) {
        long left = deadline - System.nanoTime();
        try {
          placed.timeline().terminal.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return true;
  }

  private void awaitQuiet(String what) {
    if (!quiet.awaitQuiet(settings.timeout())) {
      throw new IllegalStateException(
          "The system did not become quiet within "
              + settings.timeout()
              + " (waiting for "
              + what
              + "): is every service up?");
    }
  }

  private Map<URI, PrometheusHistogram> scrapeOutboxLatency() {
    Map<URI, PrometheusHistogram> histograms = new LinkedHashMap<>();
    Endpoints endpoints = settings.endpoints();
    for (URI service :
        List.of(
            endpoints.order(),
            endpoints.inventory(),
            endpoints.payment(),
            endpoints.notification())) {
      SagaApi.Text scrape = api.getText(service, "/actuator/prometheus");
      histograms.put(
          service,
          scrape.status() == 200
              ? PrometheusHistogram.parse(scrape.body(), OUTBOX_HISTOGRAM)
              : PrometheusHistogram.EMPTY);
    }
    return histograms;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Prints a line every interval while a phase runs: placed, terminal, in flight, errors. */
  private final class Progress implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    Progress(Phase phase, Duration interval) {
      thread =
          Thread.ofPlatform()
              .name("load-progress")
              .daemon()
              .start(
                  () -> {
                    long lastTerminal = 0;
                    long lastNanos = System.nanoTime();
                    while (running) {
                      LockSupport.parkNanos(interval.toNanos());
                      if (!running) {
                        return;
                      }
                      long now = System.nanoTime();
                      long placed = phase.placed.size();
                      long terminal = phase.terminal();
                      out.printf(
                          "[load] %5.0f s  placed %7d (%6.1f/s)  terminal %7d (%6.1f/s now)"
                              + "  in flight %5d  refused %d  errors %d%n",
                          (now - phase.startNanos) / 1e9,
                          placed,
                          placed
                              / Math.max(
                                  1e-9,
                                  (Math.min(now, phase.endNanos == 0 ? now : phase.endNanos)
                                          - phase.startNanos)
                                      / 1e9),
                          terminal,
                          (terminal - lastTerminal) / ((now - lastNanos) / 1e9),
                          placed - terminal,
                          phase.refusedCount(),
                          phase.errorCount());
                      lastTerminal = terminal;
                      lastNanos = now;
                    }
                  });
    }

    @Override
    public void close() {
      running = false;
      LockSupport.unpark(thread);
    }
  }
}
