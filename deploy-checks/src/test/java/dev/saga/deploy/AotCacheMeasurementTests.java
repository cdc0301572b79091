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
 * The measurement behind the image's AOT cache (docs/docker.md), run on demand: {@code ./mvnw -pl
 * deploy-checks test -Dtest=AotCacheMeasurementTests -Dmeasure.aot=true} ({@code
 * -Dmeasure.service=ORDER} for another service). It lays the service out as its image does, which
 * runs the Dockerfile's training run, and compares the time to ready of the image's command with
 * the cache ({@code -XX:AOTMode=on}: refuse to start without it) and without ({@code
 * -XX:AOTMode=off}), alternating, against real Kafka and PostgreSQL.
 */
@EnabledIfSystemProperty(named = "measure.aot", matches = "true")
class AotCacheMeasurementTests {

  @Test
  void aotCacheShortensTheTimeToReady() throws Exception {
    ImageLayoutTests.createTheTopicsAsComposeDoes();
    Dockerfile dockerfile = Dockerfile.read();
    SagaService service = SagaService.valueOf(System.getProperty("measure.service", "PAYMENT"));
    long building = System.nanoTime();
    ImageLayout layout = ImageLayout.build(service, dockerfile);
    Path cache = layout.application().resolve(dockerfile.aotCache());
    System.out.printf(
        "%s: layout with training run %d ms, cache %d MiB%n",
        service, (System.nanoTime() - building) / 1_000_000, Files.size(cache) >> 20);
    timeToReady(layout, dockerfile, "off"); // migrations, consumer groups, page cache

    List<Long> plain = new ArrayList<>();
    List<Long> cached = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      plain.add(timeToReady(layout, dockerfile, "off"));
      cached.add(timeToReady(layout, dockerfile, "on"));
    }
    System.out.printf("%s time to ready, ms: plain %s, AOT cache %s%n", service, plain, cached);
    assertThat(cached.stream().mapToLong(Long::longValue).sum())
        .isLessThan(plain.stream().mapToLong(Long::longValue).sum());
  }

  private static long timeToReady(ImageLayout layout, Dockerfile dockerfile, String aotMode)
      throws Exception {
    ImageLayout.Running running = layout.start(dockerfile, List.of("-XX:AOTMode=" + aotMode));
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
