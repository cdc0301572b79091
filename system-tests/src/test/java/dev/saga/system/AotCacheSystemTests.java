package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.stack.LocalStack;
import dev.saga.stack.ServiceProcess;
import dev.saga.stack.StackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache of {@code ./run-local.sh} with a real service: its first run from the extracted jar
 * trains the JDK's AOT cache and keeps it when the service stops; the next run maps it, and with
 * {@code -XX:AOTMode=on} the JVM would refuse to start if it could not.
 */
class AotCacheSystemTests {

  private static final String SERVICE = "payment-service";

  @TempDir Path baseDir;
  @TempDir Path caches;

  @Test
  void theFirstRunTrainsTheCacheAndTheNextRunStartsFromIt() throws IOException {
    StackPorts ports = StackPorts.free();
    try (LocalStack infrastructure =
        LocalStack.builder()
            .baseDir(baseDir)
            .ports(ports)
            .components(LocalStack.Component.POSTGRES, LocalStack.Component.KAFKA)
            .noServices()
            .build()) {
      infrastructure.startInfrastructure();
      Path cache = caches.resolve(SERVICE).resolve(SERVICE + ".aot");

      String training = runOnce(ports);
      assertThat(training).contains("-XX:AOTCacheOutput=").doesNotContain("-XX:AOTCache=");
      assertThat(cache).isRegularFile();
      assertThat(Files.size(cache)).isGreaterThan(10L << 20);
      assertThat(caches.resolve(SERVICE)).isDirectoryNotContaining("glob:**.training*");

      String cached = runOnce(ports, "-XX:AOTMode=on");
      assertThat(cached)
          .contains("-XX:AOTMode=on", "-XX:AOTCache=" + cache)
          .doesNotContain("-XX:AOTCacheOutput");
    }
  }

  /** Starts the service alone against the infrastructure, waits until ready, stops it; its log. */
  private String runOnce(StackPorts ports, String... jvmOptions) throws IOException {
    try (LocalStack stack =
        LocalStack.builder()
            .baseDir(baseDir)
            .ports(ports)
            .keepData(true)
            .components()
            .services(SERVICE)
            .aotCache(true)
            .aotCacheDirectory(caches)
            .serviceJvmOptions(jvmOptions)
            .build()) {
      stack.startServices();
      ServiceProcess service = stack.service(SERVICE);
      assertThat(service.isReady()).isTrue();
      stack.close();
      String log = Files.readString(service.logFile());
      return log.substring(log.lastIndexOf("---- " + SERVICE + " starting at"));
    }
  }
}
