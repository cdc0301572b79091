package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.load.InvariantChecker;
import dev.saga.load.LoadReport;
import dev.saga.load.Mix.Kind;
import dev.saga.load.Replay;
import dev.saga.load.SagaApi;
import dev.saga.stack.Directories;
import dev.saga.stack.KeepStackLogsOnFailure;
import dev.saga.stack.LocalStack;
import dev.saga.stack.ServiceProcess;
import dev.saga.stack.StackPorts;
import dev.saga.test.StepsInOrder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * The load generator and the invariant checker against the whole system as {@code ./run-local.sh}
 * runs it by default, twice against the same data. Asserts no speed.
 *
 * <ol>
 *   <li>The first run after a build: every service runs from its extracted jar and trains its AOT
 *       cache while a short mixed run places orders; every order must become terminal and every
 *       invariant hold. The services stop and write their caches.
 *   <li>While they are down, every consumer group is rewound to the start of every topic.
 *   <li>The next run maps every cache, with {@code -XX:AOTMode=on} added, under which the JVM
 *       refuses to start from a cache it cannot map rather than run without it. The replay must
 *       change nothing, and more orders must go through to the end.
 * </ol>
 *
 * <p>Each test is a step of that sequence; once one fails the rest are skipped. The caches go where
 * {@code ./run-local.sh} keeps them ({@code <service>/target/aot}): ReadmeSystemTests, which runs
 * after this class (alphabetical order, see the pom), starts the script from them.
 *
 * <p>A cache trained under load archives more heap objects than one trained by a start alone
 * (order-service's: 8.0 MiB), and a JVM whose first old generation cannot hold them refuses to
 * start, whatever its {@code -XX:AOTMode} (BENCHMARKS.md, "Eighteenth round").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadSystemTests {

  private static final int ORDERS = 200;
  private static final int MORE_ORDERS = 40;
  private static final Duration QUIET = Duration.ofMinutes(3);

  @TempDir static Path baseDir;

  private static StackPorts ports;
  private static LocalStack infrastructure;
  private static LocalStack services;
  private static Map<String, String> stateBeforeTheReplay;

  @RegisterExtension
  static final KeepStackLogsOnFailure logs = new KeepStackLogsOnFailure(() -> services);

  @RegisterExtension static final StepsInOrder steps = new StepsInOrder();

  private static final SagaApi api = new SagaApi();

  @BeforeAll
  static void startTheFirstRunAfterABuild() throws IOException {
    // A cache that a run of ./run-local.sh left for these jars would spare the training checked
    // here; the test trains them again, and ReadmeSystemTests then starts from them.
    for (String service : LocalStack.SERVICES) {
      Directories.deleteRecursively(cacheDirectory(service));
    }
    ports = StackPorts.free();
    infrastructure = LocalStack.builder().baseDir(baseDir).ports(ports).noServices().build();
    infrastructure.startInfrastructure();
    services = services();
    services.startServices();
    for (ServiceProcess service : services.services()) {
      assertThat(lastStart(service))
          .contains("-XX:AOTCacheOutput=")
          .doesNotContain("-XX:AOTCache=");
    }
  }

  @AfterAll
  static void stopTheSystem() {
    try (LocalStack closing = infrastructure) {
      if (services != null) {
        services.close();
      }
    }
  }

  @Test
  @Order(1)
  void aMixedRunLeavesEveryOrderTerminalAndEveryInvariantIntact() {
    LoadReport report = SystemRuns.placeOrdersToTheEnd(services, api, ORDERS);
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
    stateBeforeTheReplay = check.state();
  }

  @Test
  @Order(2)
  void everyServiceWritesItsCacheAsItStops() {
    services.close();
    for (String service : LocalStack.SERVICES) {
      Path cache = cache(service);
      assertThat(cache).as("the cache %s wrote as it stopped", service).isRegularFile();
      assertThat(cache.toFile().length()).isGreaterThan(10L << 20);
      assertThat(cache.getParent()).isDirectoryNotContaining("glob:**.training*");
    }
  }

  @Test
  @Order(3)
  void replayingEveryTopicToEveryServiceOnTheirCachesChangesNothing() throws IOException {
    long redelivered = 0;
    for (String service : LocalStack.SERVICES) {
      Map<TopicPartition, Long> rewound =
          Replay.fromStart(infrastructure.bootstrapServers(), service);
      redelivered += rewound.values().stream().mapToLong(Long::longValue).sum();
    }
    services = services("-XX:AOTMode=on");
    services.startServices();
    for (ServiceProcess service : services.services()) {
      assertThat(lastStart(service))
          .contains("-XX:AOTMode=on", "-XX:AOTCache=" + cache(service.name()))
          .doesNotContain("-XX:AOTCacheOutput");
    }

    assertThat(redelivered).as("records delivered again").isGreaterThan(6L * ORDERS);
    InvariantChecker.Report after = checkOnceQuiet();
    assertThat(after.violations()).isEmpty();
    assertThat(InvariantChecker.compare(stateBeforeTheReplay, after.state())).isEmpty();
  }

  @Test
  @Order(4)
  void theRunOnTheCachesCarriesNewOrdersToTheEnd() {
    SystemRuns.placeOrdersToTheEnd(services, api, MORE_ORDERS);
    InvariantChecker.Report check = checkOnceQuiet();
    assertThat(check.violations()).isEmpty();
    assertThat(check.orders()).isEqualTo(ORDERS + MORE_ORDERS);
  }

  @Test
  @Order(5)
  void theCheckerRunsFromTheCommandLineTheReadmeShows() throws Exception {
    URI database = URI.create(services.jdbcUrl("order-service").substring("jdbc:".length()));
    List<String> command =
        List.of(
            "bash",
            "load-test.sh",
            "--no-build",
            "check",
            "--order-url",
            services.baseUrl("order-service"),
            "--inventory-url",
            services.baseUrl("inventory-service"),
            "--payment-url",
            services.baseUrl("payment-service"),
            "--notification-url",
            services.baseUrl("notification-service"),
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
    assertThat(output).contains("Checked " + (ORDERS + MORE_ORDERS) + " orders", "no violations");
  }

  /**
   * The four services as run-local runs them by default: from their extracted jars, with their AOT
   * caches (trained if there are none).
   */
  private static LocalStack services(String... jvmOptions) {
    return LocalStack.builder()
        .baseDir(baseDir)
        .ports(ports)
        .keepData(true)
        .components()
        .aotCache(true)
        .serviceJvmOptions(jvmOptions)
        .build();
  }

  /** Where run-local keeps the service's extracted jar and its cache. */
  private static Path cacheDirectory(String service) {
    return Repository.path(service + "/target/aot");
  }

  private static Path cache(String service) {
    return cacheDirectory(service).resolve(service + ".aot");
  }

  /** The service's log since the stack last started it, beginning with its command line. */
  private static String lastStart(ServiceProcess service) throws IOException {
    String log = Files.readString(service.logFile());
    return log.substring(log.lastIndexOf("---- " + service.name() + " starting at"));
  }

  private static InvariantChecker.Report checkOnceQuiet() {
    return SystemRuns.checkWhenQuiet(api, StackEndpoints.of(services), QUIET);
  }
}
