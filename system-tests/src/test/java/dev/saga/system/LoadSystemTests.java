package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.load.Endpoints;
import dev.saga.load.InvariantChecker;
import dev.saga.load.LoadReport;
import dev.saga.load.Mix.Kind;
import dev.saga.load.Replay;
import dev.saga.load.SagaApi;
import dev.saga.stack.KeepStackLogsOnFailure;
import dev.saga.stack.LocalStack;
import dev.saga.stack.ServiceProcess;
import dev.saga.stack.StackPorts;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator and the invariant checker against the whole system: a short mixed run leaves
 * every order terminal and every invariant intact, and replaying every topic from the start to
 * every service changes nothing. Asserts no speed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadSystemTests {

  private static final int ORDERS = 200;
  private static final Duration QUIET = Duration.ofMinutes(3);

  @TempDir static Path baseDir;

  private static LocalStack stack;

  @RegisterExtension
  static final KeepStackLogsOnFailure logs = new KeepStackLogsOnFailure(() -> stack);

  private static Endpoints endpoints;
  private static final SagaApi api = new SagaApi();

  @BeforeAll
  static void startTheSystem() {
    stack = LocalStack.builder().baseDir(baseDir).ports(StackPorts.free()).build().start();
    endpoints = StackEndpoints.of(stack);
  }

  @AfterAll
  static void stopTheSystem() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void aMixedRunLeavesEveryOrderTerminalAndEveryInvariantIntact() {
    LoadReport report = SystemRuns.placeOrdersToTheEnd(stack, api, ORDERS);
    // Each kind took its own path; a slow machine may let any order run into the deadline.
    Map<Kind, Map<String, Long>> outcomes = report.outcomesByKind();
    assertThat(outcomes.get(Kind.PAID)).containsKey("CONFIRMED");
    assertThat(outcomes.get(Kind.PAID).keySet()).isSubsetOf("CONFIRMED", "CANCELLED(TIMEOUT)");
    assertThat(outcomes.getOrDefault(Kind.OUT_OF_STOCK, Map.of()).keySet())
        .isSubsetOf("CANCELLED(OUT_OF_STOCK)", "CANCELLED(TIMEOUT)");
    assertThat(outcomes.getOrDefault(Kind.DECLINED, Map.of()).keySet())
        .isSubsetOf("CANCELLED(PAYMENT_DECLINED)", "CANCELLED(TIMEOUT)");
    assertThat(outcomes.getOrDefault(Kind.CANCEL, Map.of()).keySet())
        .isSubsetOf("CANCELLED(CUSTOMER_CANCELLED)", "CONFIRMED");
    assertThat(outcomes.getOrDefault(Kind.HOT, Map.of()).keySet())
        .isSubsetOf("CONFIRMED", "CANCELLED(OUT_OF_STOCK)", "CANCELLED(TIMEOUT)");

    InvariantChecker.Report check = checkOnceQuiet();
    assertThat(check.violations()).isEmpty();
    assertThat(check.orders()).isEqualTo(ORDERS);
    assertThat(check.ordersByStatus()).containsOnlyKeys("CONFIRMED", "CANCELLED");
  }

  @Test
  @Order(2)
  void replayingEveryTopicToEveryServiceChangesNothing() {
    Map<String, String> before = checkOnceQuiet().state();

    stack.services().forEach(ServiceProcess::stop);
    long redelivered = 0;
    for (ServiceProcess service : stack.services()) {
      Map<TopicPartition, Long> rewound =
          Replay.fromStart(stack.bootstrapServers(), service.name());
      redelivered += rewound.values().stream().mapToLong(Long::longValue).sum();
    }
    stack.startServices();

    assertThat(redelivered).as("records delivered again").isGreaterThan(6L * ORDERS);
    InvariantChecker.Report after = checkOnceQuiet();
    assertThat(after.violations()).isEmpty();
    assertThat(InvariantChecker.compare(before, after.state())).isEmpty();
  }

  @Test
  @Order(3)
  void theCheckerRunsFromTheCommandLineTheReadmeShows() throws Exception {
    URI database = URI.create(stack.jdbcUrl("order-service").substring("jdbc:".length()));
    List<String> command =
        List.of(
            "bash",
            "load-test.sh",
            "--no-build",
            "check",
            "--order-url",
            stack.baseUrl("order-service"),
            "--inventory-url",
            stack.baseUrl("inventory-service"),
            "--payment-url",
            stack.baseUrl("payment-service"),
            "--notification-url",
            stack.baseUrl("notification-service"),
            "--postgres",
            database.getHost() + ":" + database.getPort());
    Process process =
        new ProcessBuilder(command)
            .directory(Repository.path("").toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    System.out.println(output);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("Checked " + ORDERS + " orders", "no violations");
  }

  private static InvariantChecker.Report checkOnceQuiet() {
    return SystemRuns.checkWhenQuiet(api, endpoints, QUIET);
  }
}
