package dev.saga.load;

import dev.saga.load.LoadGenerator.Phase;
import dev.saga.load.LoadGenerator.Placed;
import dev.saga.load.Mix.Kind;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** What one load run measured, and its rendering as Markdown tables. */
public final class LoadReport {

  private final LoadSettings settings;
  private final String runId;
  private final Phase phase;
  private final boolean allTerminal;
  private final Map<URI, PrometheusHistogram> outboxLatency;
  private final CostCounters.Sample idleStart;
  private final CostCounters.Sample start;
  private final CostCounters.Sample end;
  private final List<Placed> placed;
  private final List<Placed> terminal;

  LoadReport(
      LoadSettings settings,
      String runId,
      Phase phase,
      boolean allTerminal,
      Map<URI, PrometheusHistogram> outboxLatency,
      CostCounters.Sample idleStart,
      CostCounters.Sample start,
      CostCounters.Sample end) {
    this.settings = settings;
    this.runId = runId;
    this.phase = phase;
    this.allTerminal = allTerminal;
    this.outboxLatency = outboxLatency;
    this.idleStart = idleStart;
    this.start = start;
    this.end = end;
    this.placed = phase.snapshot();
    this.terminal = placed.stream().filter(Placed::terminal).toList();
  }

  public String runId() {
    return runId;
  }

  public int placed() {
    return placed.size();
  }

  public int terminal() {
    return terminal.size();
  }

  /** Requests that failed (not 201 on POST, not 202/409 on cancel), by what failed. */
  public Map<String, Long> errors() {
    Map<String, Long> errors = new TreeMap<>();
    phase.errors.forEach((what, count) -> errors.put(what, count.get()));
    return errors;
  }

  /** How often the order service refused a POST with 429 or 503 (each was tried again). */
  public long refused() {
    return phase.refusedCount();
  }

  /** The refusals by the rule that refused them ({@link SagaApi#refusal}). */
  public Map<String, Long> refusedBy() {
    Map<String, Long> refused = new TreeMap<>();
    phase.refused.forEach((rule, count) -> refused.put(rule, count.get()));
    return refused;
  }

  /** Every placed order became terminal within the timeout. */
  public boolean allTerminal() {
    return allTerminal && terminal.size() == placed.size();
  }

  /** Orders by outcome, e.g. {@code CONFIRMED} or {@code CANCELLED(OUT_OF_STOCK)}. */
  public Map<String, Long> outcomes() {
    Map<String, Long> outcomes = new TreeMap<>();
    terminal.forEach(order -> outcomes.merge(order.timeline().outcome(), 1L, Long::sum));
    return outcomes;
  }

  /** Ids of placed orders that did not become terminal, at most {@code limit}. */
  public List<String> notTerminal(int limit) {
    return placed.stream()
        .filter(order -> !order.terminal())
        .limit(limit)
        .map(Placed::orderId)
        .toList();
  }

  /** Completed orders per second, from the first POST to the last outcome. */
  public double completedPerSecond() {
    Instant last =
        terminal.stream()
            .map(order -> order.timeline().outcomeAt)
            .max(Instant::compareTo)
            .orElse(phase.startedAt);
    double seconds = Duration.between(phase.startedAt, last).toNanos() / 1e9;
    return seconds <= 0 ? 0 : terminal.size() / seconds;
  }

  /** POST to the outcome's transaction, by its {@code ce_time}. */
  Latencies postToTerminal() {
    return latencies(order -> Duration.between(order.sentAt(), order.timeline().outcomeAt));
  }

  public String render() {
    StringBuilder text = new StringBuilder();
    double placing = (phase.endNanos - phase.startNanos) / 1e9;
    text.append("### Run ").append(runId).append(": ").append(settings.describe()).append("\n\n");
    text.append("| placed | in | terminal | errors | completed/s (first POST to last outcome)")
        .append(" | completed/s while placing (per-second min / median) |\n");
    text.append("|---:|---:|---:|---:|---:|---:|\n");
    int[] perSecond = completionsPerSecond((int) Math.floor(placing));
    text.append(
        String.format(
            "| %d | %.1f s (%.1f/s) | %d%s | %d | %.1f | %.1f (%s) |%n%n",
            placed.size(),
            placing,
            placed.size() / Math.max(placing, 1e-9),
            terminal.size(),
            allTerminal() ? "" : " (NOT ALL)",
            phase.errorCount(),
            completedPerSecond(),
            completionsWhilePlacing(placing),
            perSecond.length == 0 ? "-" : perSecond[0] + " / " + perSecond[perSecond.length / 2]));
    if (!phase.errors.isEmpty()) {
      text.append("Errors: ").append(errors()).append("\n\n");
    }
    if (refused() > 0) {
      text.append("Refused: ")
          .append(refused())
          .append(" POSTs answered 429 or 503 (the order service was behind or its database")
          .append(" unreachable: ")
          .append(refusedBy())
          .append("), each tried again after its")
          .append(" Retry-After; latencies count from the accepted POST\n\n");
    }
    text.append("Outcomes: ")
        .append(outcomes())
        .append("; by kind: ")
        .append(byKind())
        .append("\n\n");

    text.append("| latency (ms) | n | p50 | p95 | p99 | max | mean |\n");
    text.append("|---|---:|---:|---:|---:|---:|---:|\n");
    row(text, "POST → terminal (outcome's ce_time)", postToTerminal());
    row(
        text,
        "POST → outcome event consumed",
        latencies(order -> Duration.between(order.sentAt(), order.timeline().outcomeSeenAt)));
    row(
        text,
        "POST → terminal, CONFIRMED only",
        latencies(
            order ->
                order.timeline().outcome().equals("CONFIRMED")
                    ? Duration.between(order.sentAt(), order.timeline().outcomeAt)
                    : null));
    row(
        text,
        "POST answered (201)",
        latencies(order -> Duration.ofNanos(order.answeredNanos() - order.sentNanos()), placed));
    if (settings.openLoop()) {
      row(
          text,
          "POST sent after its schedule",
          latencies(order -> Duration.ofNanos(order.sentNanos() - order.intendedNanos()), placed));
    }
    text.append("\n");
    hops(text);
    outbox(text, placing);
    cost(text);
    return text.toString();
  }

  /** The outcomes of each kind of order placed. */
  public Map<Kind, Map<String, Long>> outcomesByKind() {
    Map<Kind, Map<String, Long>> byKind = new LinkedHashMap<>();
    for (Kind kind : Kind.values()) {
      Map<String, Long> outcomes = new TreeMap<>();
      terminal.stream()
          .filter(order -> order.kind() == kind)
          .forEach(order -> outcomes.merge(order.timeline().outcome(), 1L, Long::sum));
      if (!outcomes.isEmpty()) {
        byKind.put(kind, outcomes);
      }
    }
    return byKind;
  }

  private Map<String, Map<String, Long>> byKind() {
    Map<String, Map<String, Long>> byKind = new LinkedHashMap<>();
    outcomesByKind().forEach((kind, outcomes) -> byKind.put(kind.label(), outcomes));
    return byKind;
  }

  /** Completions per whole second of the placing window, sorted, without its first second. */
  private int[] completionsPerSecond(int seconds) {
    if (seconds < 3) {
      return new int[0];
    }
    int[] counts = new int[seconds];
    for (Placed order : terminal) {
      long at = Duration.between(phase.startedAt, order.timeline().outcomeAt).toMillis() / 1000;
      if (at >= 0 && at < seconds) {
        counts[(int) at]++;
      }
    }
    int[] steady = Arrays.copyOfRange(counts, 1, seconds);
    Arrays.sort(steady);
    return steady;
  }

  private double completionsWhilePlacing(double placing) {
    long completed =
        terminal.stream()
            .filter(order -> !order.timeline().outcomeAt.isAfter(phase.endedAt))
            .count();
    return completed / Math.max(placing, 1e-9);
  }

  private void hops(StringBuilder text) {
    List<Placed> confirmed =
        terminal.stream()
            .filter(order -> order.timeline().outcome().equals("CONFIRMED"))
            .filter(
                order ->
                    order.timeline().placedAt != null
                        && order.timeline().reservedAt != null
                        && order.timeline().chargedAt != null)
            .toList();
    if (confirmed.isEmpty()) {
      return;
    }
    text.append("Where the time goes, per confirmed order (")
        .append(confirmed.size())
        .append(" orders; ce_time = the deciding transaction wrote the event,")
        .append(" sent = the relay's record timestamp, 1 ms resolution):\n\n");
    text.append("| hop (ms) | p50 | p99 | mean |\n|---|---:|---:|---:|\n");
    Map<String, Function<Placed, Duration>> hops = new LinkedHashMap<>();
    hops.put(
        "POST → OrderPlaced written (HTTP, order transaction)",
        o -> between(o.sentAt(), o.timeline().placedAt));
    hops.put(
        "order relay: written → sent",
        o -> between(o.timeline().placedAt, o.timeline().placedSentAt));
    hops.put(
        "inventory: sent → RESERVED written (broker, poll, transaction)",
        o -> between(o.timeline().placedSentAt, o.timeline().reservedAt));
    hops.put(
        "inventory relay: written → sent",
        o -> between(o.timeline().reservedAt, o.timeline().reservedSentAt));
    hops.put(
        "payment: sent → SUCCEEDED written",
        o -> between(o.timeline().reservedSentAt, o.timeline().chargedAt));
    hops.put(
        "payment relay: written → sent",
        o -> between(o.timeline().chargedAt, o.timeline().chargedSentAt));
    hops.put(
        "order: sent → OrderConfirmed written",
        o -> between(o.timeline().chargedSentAt, o.timeline().outcomeAt));
    hops.put(
        "order relay: written → sent (after the terminal state)",
        o -> between(o.timeline().outcomeAt, o.timeline().outcomeSentAt));
    hops.put(
        "broker → the generator's consumer",
        o -> between(o.timeline().outcomeSentAt, o.timeline().outcomeSeenAt));
    hops.forEach(
        (name, hop) -> {
          Latencies latencies = new Latencies();
          confirmed.forEach(order -> latencies.add(hop.apply(order)));
          text.append(
              String.format(
                  "| %s | %s | %s | %s |%n",
                  name,
                  Latencies.millis(latencies.percentile(50)),
                  Latencies.millis(latencies.percentile(99)),
                  Latencies.millis(latencies.mean())));
        });
    text.append("\n");
  }

  private void outbox(StringBuilder text, double placing) {
    text.append("Outbox commit → publish acknowledged (the relays' ")
        .append("saga_outbox_publish_latency_seconds histogram, scraped before and after):\n\n");
    text.append("| service | events | events/s while placing | p50 ms | p99 ms | mean ms |\n");
    text.append("|---|---:|---:|---:|---:|---:|\n");
    PrometheusHistogram all = PrometheusHistogram.EMPTY;
    for (Map.Entry<URI, PrometheusHistogram> service : outboxLatency.entrySet()) {
      outboxRow(text, service.getKey().toString(), service.getValue(), placing);
      all = all.plus(service.getValue());
    }
    outboxRow(text, "all", all, placing);
    text.append("\n");
  }

  private static void outboxRow(
      StringBuilder text, String name, PrometheusHistogram histogram, double placing) {
    text.append(
        String.format(
            "| %s | %.0f | %.1f | %.2f | %.2f | %.2f |%n",
            name,
            histogram.count(),
            histogram.count() / Math.max(placing, 1e-9),
            histogram.quantile(0.5) * 1000,
            histogram.quantile(0.99) * 1000,
            histogram.mean() * 1000));
  }

  private void cost(StringBuilder text) {
    if (start == null || end == null) {
      return;
    }
    double seconds = Duration.between(start.at(), end.at()).toNanos() / 1e9;
    double idleSeconds = Duration.between(idleStart.at(), start.at()).toNanos() / 1e9;
    double orders = Math.max(1, terminal.size());
    text.append(
        String.format(
            "Cost per completed order, counted over %.1f s around the measured phase; net = less"
                + " what the idle rate (measured for %.1f s before it) adds in that time:%n%n",
            seconds, idleSeconds));
    text.append("| what | per order, net | per order, raw | idle per s |\n|---|---:|---:|---:|\n");
    double commits = 0;
    double idleCommits = 0;
    double rawCommits = 0;
    for (String database : end.commits().keySet()) {
      double net =
          net(start.commits(), end.commits(), idleStart.commits(), database, seconds, idleSeconds);
      double idle = rate(idleStart.commits(), start.commits(), database, idleSeconds);
      commits += net;
      idleCommits += idle;
      rawCommits += idle * seconds + net;
      text.append(
          String.format(
              "| DB transactions committed, %s | %.2f | %.2f | %.1f |%n",
              database, net / orders, (net + idle * seconds) / orders, idle));
    }
    text.append(
        String.format(
            "| **DB transactions committed, all** | **%.2f** | %.2f | %.1f |%n",
            commits / orders, rawCommits / orders, idleCommits));
    if (end.walSyncs() >= 0) {
      double idle = (start.walSyncs() - idleStart.walSyncs()) / idleSeconds;
      double raw = end.walSyncs() - start.walSyncs();
      text.append(
          String.format(
              "| WAL flushes (fsync) of the PostgreSQL server | %.2f | %.2f | %.1f |%n",
              (raw - idle * seconds) / orders, raw / orders, idle));
    }
    double records = 0;
    for (String topic : end.records().keySet()) {
      long delta = end.records().get(topic) - start.records().getOrDefault(topic, 0L);
      if (delta > 0) {
        records += delta;
        text.append(
            String.format(
                "| Kafka records, %s | %.2f | %.2f | |%n", topic, delta / orders, delta / orders));
      }
    }
    text.append(
        String.format(
            "| **Kafka records, all** | **%.2f** | %.2f | |%n",
            records / orders, records / orders));
    double cpu = 0;
    double rawCpu = 0;
    for (String process : end.cpuMillis().keySet()) {
      double net =
          net(
              start.cpuMillis(),
              end.cpuMillis(),
              idleStart.cpuMillis(),
              process,
              seconds,
              idleSeconds);
      double idle = rate(idleStart.cpuMillis(), start.cpuMillis(), process, idleSeconds);
      cpu += net;
      rawCpu += net + idle * seconds;
      text.append(
          String.format(
              "| CPU ms, %s | %.2f | %.2f | %.1f |%n",
              process, net / orders, (net + idle * seconds) / orders, idle));
    }
    text.append(
        String.format(
            "| **CPU ms, all measured processes** | **%.2f** | %.2f | |%n",
            cpu / orders, rawCpu / orders));
    // Parts of each JVM's CPU above, not added to the total: how much of it was still compiling,
    // and how much was collecting garbage.
    partOfEachJvm(text, "JIT compiler threads", CostCounters.Sample::compilerCpuMillis);
    partOfEachJvm(text, "garbage collector", CostCounters.Sample::collectorCpuMillis);
    double busy = end.machineBusyMillis() - start.machineBusyMillis();
    double total = end.machineTotalMillis() - start.machineTotalMillis();
    double measured =
        end.cpuMillis().keySet().stream()
            .mapToDouble(
                process ->
                    end.cpuMillis().get(process) - start.cpuMillis().getOrDefault(process, 0L))
            .sum();
    text.append(
        String.format(
            "%nMachine: %.0f %% of %d cores busy over the interval; processes outside the stack"
                + " and the generator used %.0f CPU ms (%.0f %% of one core): the background load.%n%n",
            total <= 0 ? 0 : 100 * busy / total,
            Runtime.getRuntime().availableProcessors(),
            busy - measured,
            100 * (busy - measured) / (seconds * 1000)));
  }

  /** Rows "of which {@code part}, process": a part of each JVM's CPU, per order and when idle. */
  private void partOfEachJvm(
      StringBuilder text, String part, Function<CostCounters.Sample, Map<String, Long>> millis) {
    double seconds = Duration.between(start.at(), end.at()).toNanos() / 1e9;
    double idleSeconds = Duration.between(idleStart.at(), start.at()).toNanos() / 1e9;
    double orders = Math.max(1, terminal.size());
    for (String process : millis.apply(end).keySet()) {
      double net =
          net(
              millis.apply(start),
              millis.apply(end),
              millis.apply(idleStart),
              process,
              seconds,
              idleSeconds);
      double idle = rate(millis.apply(idleStart), millis.apply(start), process, idleSeconds);
      if (net + idle * seconds > 0) {
        text.append(
            String.format(
                "| of which %s, %s | %.2f | %.2f | %.1f |%n",
                part, process, net / orders, (net + idle * seconds) / orders, idle));
      }
    }
  }

  /** How much {@code key} grew from start to end, less what the idle rate adds anyway. */
  private static double net(
      Map<String, Long> start,
      Map<String, Long> end,
      Map<String, Long> idleStart,
      String key,
      double seconds,
      double idleSeconds) {
    double idle = rate(idleStart, start, key, idleSeconds);
    return end.getOrDefault(key, 0L) - start.getOrDefault(key, 0L) - idle * seconds;
  }

  private static double rate(
      Map<String, Long> from, Map<String, Long> to, String key, double seconds) {
    return seconds <= 0 ? 0 : (to.getOrDefault(key, 0L) - from.getOrDefault(key, 0L)) / seconds;
  }

  private static Duration between(Instant from, Instant to) {
    if (from == null || to == null) {
      return Duration.ZERO;
    }
    Duration duration = Duration.between(from, to);
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  private Latencies latencies(Function<Placed, Duration> latency) {
    return latencies(latency, terminal);
  }

  private static Latencies latencies(Function<Placed, Duration> latency, List<Placed> orders) {
    Latencies latencies = new Latencies();
    for (Placed order : orders) {
      Duration value = latency.apply(order);
      if (value != null) {
        latencies.add(value.isNegative() ? Duration.ZERO : value);
      }
    }
    return latencies;
  }

  private static void row(StringBuilder text, String name, Latencies latencies) {
    text.append(
        String.format(
            "| %s | %d | %s | %s | %s | %s | %s |%n",
            name,
            latencies.count(),
            Latencies.millis(latencies.percentile(50)),
            Latencies.millis(latencies.percentile(95)),
            Latencies.millis(latencies.percentile(99)),
            Latencies.millis(latencies.max()),
            Latencies.millis(latencies.mean())));
  }
}
