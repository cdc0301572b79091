package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.load.Endpoints;
import dev.saga.load.InvariantChecker;
import dev.saga.load.LoadGenerator;
import dev.saga.load.LoadReport;
import dev.saga.load.LoadSettings;
import dev.saga.load.SagaApi;
import dev.saga.stack.LocalStack;
import java.time.Duration;

/** What the system tests do with the load generator and the invariant checker. */
final class SystemRuns {

  private SystemRuns() {}

  /**
   * Places {@code orders} orders at 50/s with the default mix, prints the report, and asserts that
   * every order was placed without error and became terminal.
   */
  static LoadReport placeOrdersToTheEnd(LocalStack stack, SagaApi api, int orders) {
    LoadReport report =
        new LoadGenerator(
                LoadSettings.of(StackEndpoints.of(stack), stack.bootstrapServers(), orders, 50),
                api,
                System.out)
            .run();
    System.out.println(report.render());
    assertThat(report.errors()).isEmpty();
    assertThat(report.placed()).isEqualTo(orders);
    assertThat(report.allTerminal()).as("not terminal: %s", report.notTerminal(10)).isTrue();
    return report;
  }

  /**
   * Asserts that the system becomes quiet within {@code quiet}, then checks every invariant and
   * prints the summary and each violation.
   */
  static InvariantChecker.Report checkWhenQuiet(SagaApi api, Endpoints endpoints, Duration quiet) {
    InvariantChecker checker = new InvariantChecker(api, endpoints);
    assertThat(checker.awaitQuiet(quiet)).as("the system became quiet").isTrue();
    InvariantChecker.Report report = checker.check();
    System.out.println(report.summary());
    report.violations().forEach(System.out::println);
    return report;
  }
}
