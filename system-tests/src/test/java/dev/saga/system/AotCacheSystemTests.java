package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.load.InvariantChecker;
import dev.saga.load.SagaApi;
import dev.saga.stack.KeepStackLogsOnFailure;
import dev.saga.stack.LocalStack;
import dev.saga.stack.ServiceProcess;
import dev.saga.stack.StackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run-local.sh} in its default mode, run twice against the same data: the first run after
 * a build trains every service's AOT cache while orders flow and writes it as the services stop;
 * the next run maps every cache and carries orders to the end.
 *
 * <p>A cache trained under load archives more heap objects than one trained by a start alone
 * (order-service's: 8.0 MiB), and a JVM whose first old generation cannot hold them refuses to
 * start, whatever its {@code -XX:AOTMode} (BENCHMARKS.md, "Eighteenth round"). The second run adds
 * {@code -XX:AOTMode=on}, under which the JVM also refuses to start from a cache it cannot map
 * rather than run without it.
 */
class AotCacheSystemTests {

  private static final int TRAINING_ORDERS = 200;
  private static final int ORDERS = 40;

  @TempDir Path baseDir;
  @TempDir Path caches;

  private final SagaApi api = new SagaApi();
  private LocalStack services;

  @RegisterExtension final KeepStackLogsOnFailure logs = new KeepStackLogsOnFailure(() -> services);

  @Test
  void theCachesTrainedUnderLoadMapOnTheNextRun() throws IOException {
    StackPorts ports = StackPorts.free();
    try (LocalStack infrastructure =
        LocalStack.builder().baseDir(baseDir).ports(ports).noServices().build()) {
      infrastructure.startInfrastructure();

      services = services(ports);
      try (LocalStack training = services) {
        training.startServices();
        for (ServiceProcess service : training.services()) {
          assertThat(lastStart(service))
              .contains("-XX:AOTCacheOutput=")
              .doesNotContain("-XX:AOTCache=");
        }
        SystemRuns.placeOrdersToTheEnd(training, api, TRAINING_ORDERS);
      }
      for (String service : LocalStack.SERVICES) {
        Path cache = cache(service);
        assertThat(cache).as("the cache %s wrote as it stopped", service).isRegularFile();
        assertThat(Files.size(cache)).isGreaterThan(10L << 20);
        assertThat(cache.getParent()).isDirectoryNotContaining("glob:**.training*");
      }

      services = services(ports, "-XX:AOTMode=on");
      try (LocalStack cached = services) {
        cached.startServices();
        for (ServiceProcess service : cached.services()) {
          assertThat(lastStart(service))
              .contains("-XX:AOTMode=on", "-XX:AOTCache=" + cache(service.name()))
              .doesNotContain("-XX:AOTCacheOutput");
        }
        SystemRuns.placeOrdersToTheEnd(cached, api, ORDERS);

        InvariantChecker.Report check =
            SystemRuns.checkWhenQuiet(api, StackEndpoints.of(cached), Duration.ofMinutes(3));
        assertThat(check.violations()).isEmpty();
        assertThat(check.orders()).isEqualTo(TRAINING_ORDERS + ORDERS);
      }
    }
  }

  /** The four services from their extracted jars, with their AOT caches (trained if none). */
  private LocalStack services(StackPorts ports, String... jvmOptions) {
    return LocalStack.builder()
        .baseDir(baseDir)
        .ports(ports)
        .keepData(true)
        .components()
        .aotCache(true)
        .aotCacheDirectory(caches)
        .serviceJvmOptions(jvmOptions)
        .build();
  }

  private Path cache(String service) {
    return caches.resolve(service).resolve(service + ".aot");
  }

  /** The service's log since the stack last started it, beginning with its command line. */
  private static String lastStart(ServiceProcess service) throws IOException {
    String log = Files.readString(service.logFile());
    return log.substring(log.lastIndexOf("---- " + service.name() + " starting at"));
  }
}
