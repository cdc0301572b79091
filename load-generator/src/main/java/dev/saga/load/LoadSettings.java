package dev.saga.load;

import java.time.Duration;
import java.util.Map;

/**
 * How a load run drives the system.
 *
 * @param endpoints the services (and, for {@code cost}, a database to read statistics from)
 * @param bootstrapServers the Kafka broker the outcome events are read from
 * @param processPorts the ports the stack's processes listen on, by name, to measure their CPU
 * @param rate orders per second placed open-loop, whatever the system does; 0 for closed loop
 * @param concurrency closed loop: customers that each place an order and wait for its outcome
 * @param duration how long to place orders (after the warm-up)
 * @param orders stop after this many orders instead; 0 for no limit
 * @param warmup a first phase at the same load whose orders are not measured, so the JIT and the
 *     connection pools are warm when the measured phase begins
 * @param mix the kinds of order and their weights
 * @param hotStock units of each hot product
 * @param idempotencyKeys whether every POST carries an {@code Idempotency-Key}, as a real client's
 *     would
 * @param cost whether to count transactions, records and CPU time per order (adds about 30 s)
 * @param timeout how long to wait for every order to become terminal and the system quiet
 * @param progressInterval how often a progress line is printed
 */
public record LoadSettings(
    Endpoints endpoints,
    String bootstrapServers,
    Map<String, Integer> processPorts,
    double rate,
    int concurrency,
    Duration duration,
    int orders,
    Duration warmup,
    Mix mix,
    int hotStock,
    boolean idempotencyKeys,
    boolean cost,
    Duration timeout,
    Duration progressInterval) {

  public LoadSettings {
    processPorts = Map.copyOf(processPorts);
    if (rate <= 0 && concurrency <= 0) {
      throw new IllegalArgumentException(
          "Either a rate (open loop) or a concurrency (closed loop)");
    }
  }

  public boolean openLoop() {
    return rate > 0;
  }

  /** A short run: {@code orders} orders at {@code rate} per second with the default mix. */
  public static LoadSettings of(
      Endpoints endpoints, String bootstrapServers, int orders, double rate) {
    return new LoadSettings(
        endpoints,
        bootstrapServers,
        Map.of(),
        rate,
        0,
        Duration.ofDays(1),
        orders,
        Duration.ZERO,
        Mix.DEFAULT,
        3,
        true,
        false,
        Duration.ofMinutes(3),
        Duration.ofSeconds(5));
  }

  public LoadSettings withMix(Mix mix) {
    return new LoadSettings(
        endpoints,
        bootstrapServers,
        processPorts,
        rate,
        concurrency,
        duration,
        orders,
        warmup,
        mix,
        hotStock,
        idempotencyKeys,
        cost,
        timeout,
        progressInterval);
  }

  public String describe() {
    return (openLoop() ? "open loop at " + rate + " orders/s" : "closed loop, " + concurrency)
        + (openLoop() ? "" : " customers")
        + (orders > 0 ? ", " + orders + " orders" : ", " + duration.toSeconds() + " s")
        + (warmup.isZero() ? "" : " after a " + warmup.toSeconds() + " s warm-up")
        + ", mix "
        + mix;
  }
}
