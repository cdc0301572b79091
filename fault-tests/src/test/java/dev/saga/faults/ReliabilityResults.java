package dev.saga.faults;

import dev.saga.load.InvariantChecker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The suite's results, one row per scenario, as the Markdown table RELIABILITY.md shows, written to
 * {@code target/reliability/results.md} as each scenario ends (and to the test's output).
 */
final class ReliabilityResults {

  private static final Path FILE = Path.of("target", "reliability", "results.md");

  private final Instant started = Instant.now();

  ReliabilityResults() {
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(
          FILE,
          "| # | scenario | fault | load | orders placed (failed requests) | time to recover |"
              + " checker |\n|---|---|---|---|---|---|---|\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One finished scenario. */
  record Row(
      int number,
      String scenario,
      String fault,
      OrderLoad load,
      Duration recovery,
      InvariantChecker.Report report,
      String notes) {}

  void add(Row row) {
    Map<String, Integer> failures = row.load().failures();
    int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
    String line =
        "| "
            + row.number()
            + " | "
            + row.scenario()
            + " | "
            + row.fault()
            + " | "
            + row.load().perSecond()
            + " orders/s open loop for "
            + row.load().duration().toSeconds()
            + " s | "
            + row.load().placed().size()
            + " ("
            + failed
            + (failed == 0 ? "" : " " + failures)
            + ") | "
            + seconds(row.recovery())
            + " | "
            + (row.report().isClean()
                ? "0 violations"
                : row.report().violations().size() + " VIOLATIONS")
            + ", "
            + row.report().orders()
            + " orders "
            + row.report().ordersByStatus()
            + (row.notes().isEmpty() ? "" : "; " + row.notes())
            + " |\n";
    System.out.print("[reliability] " + line);
    row.report().violations().forEach(v -> System.out.println("[reliability]   " + v));
    try {
      Files.writeString(FILE, line, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void finish() {
    String line =
        "\nSuite time (stack start included): "
            + seconds(Duration.between(started, Instant.now()))
            + "\n";
    System.out.print("[reliability] " + line);
    try {
      Files.writeString(FILE, line, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
