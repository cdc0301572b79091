package dev.saga.faults;

import dev.saga.load.SagaApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places orders over HTTP at a fixed rate (open loop) while a fault is injected, from a mix that
 * walks every path of the saga: in stock and paid, a scarce product many orders compete for, a
 * customer who cannot pay, and customers who cancel right after placing. Requests that fail while
 * the fault lasts are counted, never retried; at most {@value #IN_FLIGHT} requests are in flight,
 * so a service that hangs is not buried under thousands of waiting requests (a tick that finds them
 * all busy is counted as skipped).
 */
final class OrderLoad implements AutoCloseable {

  private static final int IN_FLIGHT = 16;

  /** What the load orders, and who orders it (created by the scenario beforehand). */
  record Mix(String plentiful, String scarce, List<String> payingCustomers, String brokeCustomer) {}

  /** One order the load placed, and when. */
  record Placed(String orderId, Instant at, String kind) {}

  private final SagaApi api;
  private final URI orderService;
  private final Mix mix;
  private final int perSecond;
  private final Duration maxDuration;
  private final ScheduledExecutorService clock =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("load-clock").daemon().factory());
  private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger attempts = new AtomicInteger();
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
  private final List<Placed> placed = new ArrayList<>();
  private final Map<String, Integer> failures = new TreeMap<>();
  private Instant started;
  private Instant stopped;

  /**
   * @param maxDuration when the load stops placing orders at the latest, however long the fault
   *     takes: a slow machine must not pile up an unbounded backlog
   */
  OrderLoad(SagaApi api, URI orderService, Mix mix, int perSecond, Duration maxDuration) {
    this.api = api;
    this.orderService = orderService;
    this.mix = mix;
    this.perSecond = perSecond;
    this.maxDuration = maxDuration;
  }

  OrderLoad start() {
    started = Instant.now();
    clock.scheduleAtFixedRate(this::tick, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    clock.schedule(clock::shutdownNow, maxDuration.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops placing orders and waits for the requests in flight. */
  void stop() {
    if (stopped != null) {
      return;
    }
    clock.shutdownNow();
    clients.shutdown();
    try {
      if (!clients.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("Requests of the load still running after a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopped = Instant.now();
  }

  @Override
  public void close() {
    stop();
  }

  /** The orders the service accepted (201). */
  List<Placed> placed() {
    synchronized (placed) {
      return List.copyOf(placed);
    }
  }

  int attempts() {
    return attempts.get();
  }

  /**
   * Failed requests by cause: an HTTP status, an I/O failure ({@link #ioFailure}), or a tick
   * skipped because {@value #IN_FLIGHT} requests were in flight.
   */
  Map<String, Integer> failures() {
    synchronized (failures) {
      return new TreeMap<>(failures);
    }
  }

  /** How long orders were placed. */
  Duration duration() {
    Instant end = stopped == null ? Instant.now() : stopped;
    return Duration.between(started, end).compareTo(maxDuration) > 0
        ? maxDuration
        : Duration.between(started, end);
  }

  int perSecond() {
    return perSecond;
  }

  private void tick() {
    if (!inFlight.tryAcquire()) {
      fail("skipped, " + IN_FLIGHT + " requests in flight");
      return;
    }
    clients.submit(
        () -> {
          try {
            placeOne();
          } finally {
            inFlight.release();
          }
        });
  }

  private void placeOne() {
    int n = sequence.getAndIncrement();
    String kind;
    String customer = mix.payingCustomers().get(n % mix.payingCustomers().size());
    String product = mix.plentiful();
    int quantity = 1 + n % 3;
    switch (n % 10) {
      case 0 -> {
        kind = "scarce";
        product = mix.scarce();
        quantity = 1;
      }
      case 1 -> {
        kind = "declined";
        customer = mix.brokeCustomer();
      }
      case 2 -> kind = "cancelled";
      default -> kind = "paid";
    }
    attempts.incrementAndGet();
    try {
      SagaApi.Response response =
          api.post(
              orderService,
              "/api/orders",
              Map.of(
                  "customerId",
                  customer,
                  "items",
                  List.of(Map.of("productId", product, "quantity", quantity))),
              "Idempotency-Key",
              UUID.randomUUID().toString());
      if (response.status() == 429) {
        fail("HTTP 429 (" + SagaApi.refusal(response) + ")");
        return;
      }
      if (response.status() != 201) {
        fail("HTTP " + response.status());
        return;
      }
      String orderId = response.body().get("orderId").asString();
      synchronized (placed) {
        placed.add(new Placed(orderId, Instant.now(), kind));
      }
      if (kind.equals("cancelled")) {
        SagaApi.Response cancel =
            api.post(orderService, "/api/orders/" + orderId + "/cancel", null);
        // 409: the order was confirmed first, which the mix allows.
        if (cancel.status() != 202 && cancel.status() != 409) {
          fail("cancel HTTP " + cancel.status());
        }
      }
    } catch (UncheckedIOException e) {
      fail(ioFailure(e.getCause()));
    } catch (RuntimeException e) {
      fail(e.getClass().getSimpleName());
    }
  }

  /**
   * What an I/O failure says about the service: refused connections mean it is down (killed,
   * restarting, not yet listening); the others that it stopped answering or dropped the connection.
   */
  static String ioFailure(IOException failure) {
    if (failure instanceof ConnectException) {
      return "connection refused";
    }
    if (failure instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (failure instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    return "connection lost (" + failure.getClass().getSimpleName() + ")";
  }

  private void fail(String cause) {
    synchronized (failures) {
      failures.merge(cause, 1, Integer::sum);
    }
  }
}
