package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The measurement behind the image's "no AOT cache" decision (docs/docker.md), run on demand:
 * {@code ./mvnw -pl deploy-checks test -Dtest=AotCacheMeasurementTests -Dmeasure.aot=true}. It
 * trains the JDK's AOT cache with a real start of the service (JEP 514's one-step {@code
 * -XX:AOTCacheOutput}) and compares time to ready with and without it.
 */
@EnabledIfSystemProperty(named = "measure.aot", matches = "true")
class AotCacheMeasurementTests {

  @Test
  void aotCacheShortensTheTimeToReady() throws Exception {
    ImageLayoutTests.createTheTopicsAsComposeDoes();
    Dockerfile dockerfile = Dockerfile.read();
    SagaService service = SagaService.valueOf(System.getProperty("measure.service", "PAYMENT"));
    ImageLayout layout = ImageLayout.build(service, dockerfile);
    Path cache = layout.application().resolveSibling("app.aot");
    timeToReady(layout, dockerfile, List.of()); // migrations, consumer groups, page cache

    long training = System.nanoTime();
    ImageLayout.Running trained = layout.start(dockerfile, List.of("-XX:AOTCacheOutput=" + cache));
    trained.awaitOk("/actuator/health/readiness", Duration.ofMinutes(3));
    trained.process().destroy(); // the cache is written when the JVM exits
    assertThat(trained.process().waitFor(5, TimeUnit.MINUTES)).isTrue();
    trained.close();
    System.out.printf(
        "%s: training run with cache dump %d ms, cache %d MiB%n",
        service, (System.nanoTime() - training) / 1_000_000, Files.size(cache) >> 20);

    List<Long> plain = new ArrayList<>();
    List<Long> cached = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      plain.add(timeToReady(layout, dockerfile, List.of()));
      cached.add(timeToReady(layout, dockerfile, List.of("-XX:AOTCache=" + cache)));
    }
    System.out.printf("%s time to ready, ms: plain %s, AOT cache %s%n", service, plain, cached);
    assertThat(cached.stream().mapToLong(Long::longValue).sum())
        .isLessThan(plain.stream().mapToLong(Long::longValue).sum());
  }

  private static long timeToReady(ImageLayout layout, Dockerfile dockerfile, List<String> flags)
      throws Exception {
    ImageLayout.Running running = layout.start(dockerfile, flags);
    long started = System.nanoTime();
    try {
      running.awaitOk("/actuator/health/readiness", Duration.ofMinutes(3));
      return (System.nanoTime() - started) / 1_000_000;
    } finally {
      running.process().destroy();
      running.process().waitFor(60, TimeUnit.SECONDS);
      running.close();
    }
  }
}
