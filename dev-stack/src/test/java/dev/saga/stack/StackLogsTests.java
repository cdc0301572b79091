package dev.saga.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

class StackLogsTests {

  private static final Instant SINCE = Instant.parse("2026-12-06T10:00:00Z");

  @TempDir Path directory;

  /** The stack of the failing test below, while this class runs it through the test kit. */
  private static volatile LocalStack stack;

  private static volatile Path kept;

  @AfterEach
  void forgetTheStack() {
    stack = null;
    kept = null;
  }

  @Test
  void aDigestHoldsTheWarningsErrorsAndStartsSinceATimeWithTheirMessagesButNoFrames()
      throws IOException {
    Path log = directory.resolve("order-service.log");
    Files.write(
        log,
        List.of(
            line("09:59:59.999", "WARN", "before the test: left out"),
            "---- order-service starting at 2026-12-06T10:00:01.5Z: java -jar order-service.jar",
            line("10:00:02.000", "INFO", "Started OrderServiceApplication"),
            line("10:00:03.000", "WARN", "Listener failed"),
            "org.springframework.kafka.listener.ListenerExecutionFailedException: Listener failed",
            "\tat org.springframework.kafka.listener.Container.invoke(Container.java:10)",
            "\t... 12 more",
            "Caused by: java.sql.SQLTransientConnectionException: Connection is not available",
            "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
            line("10:00:04.000", "ERROR", "Unexpected error " + "x".repeat(400)),
            line("10:00:05.000", "DEBUG", "not kept")));
    Path quiet = directory.resolve("payment-service.log");
    Files.write(quiet, List.of(line("10:00:02.000", "INFO", "Started")));

    String digest = StackLogs.digest(List.of(log, quiet, directory.resolve("absent.log")), SINCE);

    assertThat(digest)
        .isEqualTo(
            """
            == order-service.log: 3
            ---- order-service starting at 2026-12-06T10:00:01.5Z: java -jar order-service.jar
            %s
            org.springframework.kafka.listener.ListenerExecutionFailedException: Listener failed
            Caused by: java.sql.SQLTransientConnectionException: Connection is not available
            %s [...]
            == payment-service.log: nothing at WARN or above
            == absent.log: nothing at WARN or above
            """
                .formatted(
                    line("10:00:03.000", "WARN", "Listener failed"),
                    line("10:00:04.000", "ERROR", "Unexpected error " + "x".repeat(400))
                        .substring(0, 300)));
  }

  @Test
  void aDigestKeepsTheLastEntriesOfALogAndTheFirstDetailLinesOfAnEntry() throws IOException {
    Path log = directory.resolve("inventory-service.log");
    List<String> lines =
        IntStream.range(0, StackLogs.ENTRIES_PER_SERVICE + 5)
            .mapToObj(i -> line("10:00:%02d.000".formatted(i), "WARN", "warning " + i))
            .collect(Collectors.toCollection(ArrayList::new));
    IntStream.range(0, StackLogs.DETAIL_LINES + 3).forEach(i -> lines.add("detail " + i));
    Files.write(log, lines);

    String digest = StackLogs.digest(List.of(log), SINCE);

    assertThat(digest)
        .startsWith("== inventory-service.log: 30 (the first 5 left out)\n")
        .doesNotContain("warning 4\n")
        .contains("warning 5\n", "warning 29\n", "detail " + (StackLogs.DETAIL_LINES - 1))
        .doesNotContain("detail " + StackLogs.DETAIL_LINES);
  }

  @Test
  void aFailedTestKeepsTheStacksLogsAndCarriesTheirDigest() throws IOException {
    stack =
        LocalStack.builder()
            .baseDir(directory.resolve("stack"))
            .ports(StackPorts.free())
            .components()
            .services(
                ServiceDefinition.command("fake-a", List.of("true")),
                ServiceDefinition.command("fake-b", List.of("true")))
            .build();
    Path logA = stack.service("fake-a").logFile();
    Files.createDirectories(logA.getParent());
    Files.write(logA, List.of(line("09:00:00.000", "ERROR", "long before the test")));
    Files.write(stack.logsDir().resolve("kafka.log"), List.of("[broker] not a service log"));
    kept = directory.resolve("kept");

    List<Event> failures =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(AFailingTest.class))
            .execute()
            .testEvents()
            .failed()
            .list();

    assertThat(failures).hasSize(1);
    Throwable failure =
        failures
            .get(0)
            .getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    assertThat(failure).hasMessage("the test's own failure");
    assertThat(failure.getSuppressed()).hasSize(1);
    Path folder = kept.resolve("AFailingTest").resolve("failsAfterAServiceLoggedAnError");
    assertThat(failure.getSuppressed()[0].getMessage())
        .contains("all logs of the stack are kept in " + folder.toAbsolutePath())
        .contains("== fake-a.log: 1\n", "ERROR 1 --- [fake] [main] x: while the test ran")
        .doesNotContain("long before the test")
        .contains("== fake-b.log: nothing at WARN or above");
    assertThat(failure.getSuppressed()[0].getStackTrace()).isEmpty();
    assertThat(folder.resolve("fake-a.log")).content().contains("long before the test");
    assertThat(folder.resolve("kafka.log")).hasContent("[broker] not a service log");
    assertThat(folder.resolve("digest.txt")).hasContent(failure.getSuppressed()[0].getMessage());
  }

  @Test
  void aPassingTestKeepsNothing() {
    stack = LocalStack.builder().baseDir(directory.resolve("stack")).components().build();
    kept = directory.resolve("kept");

    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(APassingTest.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(1).failed(0));

    assertThat(kept).doesNotExist();
  }

  private static String line(String time, String level, String message) {
    return "2026-12-06T" + time + "Z " + level + " 1 --- [fake] [main] x: " + message;
  }

  static boolean runByTheTestKit() {
    return stack != null;
  }

  /** Fails after fake-a logged an error; run only through the test kit by the test above. */
  @EnabledIf("dev.saga.stack.StackLogsTests#runByTheTestKit")
  static class AFailingTest {

    @RegisterExtension
    static final KeepStackLogsOnFailure logs = new KeepStackLogsOnFailure(() -> stack, kept);

    @Test
    void failsAfterAServiceLoggedAnError() throws IOException {
      Files.writeString(
          stack.service("fake-a").logFile(),
          Instant.now().plus(Duration.ofMillis(1))
              + " ERROR 1 --- [fake] [main] x: while the test ran\n",
          StandardOpenOption.APPEND);
      throw new AssertionError("the test's own failure");
    }
  }

  /** Passes; run only through the test kit by the test above. */
  @EnabledIf("dev.saga.stack.StackLogsTests#runByTheTestKit")
  static class APassingTest {

    @RegisterExtension
    static final KeepStackLogsOnFailure logs = new KeepStackLogsOnFailure(() -> stack, kept);

    @Test
    void passes() {}
  }
}
