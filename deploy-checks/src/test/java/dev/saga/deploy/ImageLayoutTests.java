package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.deploy.SagaTopology.TopicSpec;
import dev.saga.test.Infrastructure;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No Docker engine is needed to know the images work: every service is laid out as its image lays
 * it out and started with the image's command, the compose environment and compose's memory limit
 * ({@link PodMemory}), against real Kafka (with the topics compose creates, and no auto-creation)
 * and PostgreSQL, until ready; its JVM maps the AOT cache the image's build trained and has the
 * heap and collector its pod gives it, the image's HEALTHCHECK script reports it healthy, and
 * SIGTERM stops it gracefully.
 */
class ImageLayoutTests {

  private static final Dockerfile DOCKERFILE = Dockerfile.read();
  private static final ComposeFile COMPOSE = ComposeFile.read();

  @BeforeAll
  static void createTheTopicsAsComposeDoes() throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec topic : ComposeTopics.read().values()) {
      NewTopic created = new NewTopic(topic.name(), topic.partitions(), (short) 1);
      if (topic.compacted()) {
        created.configs(
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      topics.add(created);
    }
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                Infrastructure.shared().kafkaBootstrapServers()))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      admin
          .createTopics(topics.stream().filter(t -> !existing.contains(t.name())).toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void startsFromItsImageLayoutAndBecomesReadyHealthyAndStopsGracefully(SagaService service)
      throws Exception {
    ImageLayout layout = ImageLayout.build(service, DOCKERFILE);
    assertThat(layout.application().resolve("app.jar")).isRegularFile();
    try (var libraries = Files.list(layout.application().resolve("lib"))) {
      assertThat(libraries.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("spring-boot-4"))
          .anyMatch(name -> name.startsWith("messaging-"));
    }

    // The JVM ignores an AOT cache that does not match it (another class path, collector or JDK)
    // and starts without, only slower; -XX:AOTMode=on makes it refuse to start instead.
    assertThat(layout.application().resolve(DOCKERFILE.aotCache())).isRegularFile();
    ImageLayout.Running running = layout.start(DOCKERFILE, List.of("-XX:AOTMode=on"));
    try (running) {
      Duration ready = running.awaitOk("/actuator/health/readiness", Duration.ofMinutes(3));
      System.out.printf("%s ready after %d ms (image's AOT cache)%n", service, ready.toMillis());
      for (String path :
          List.of("/actuator/health/liveness", "/actuator/prometheus", "/v3/api-docs")) {
        running.awaitOk(path, Duration.ofMinutes(1));
      }

      // The JVM under its pod's memory limit: the image's share of it as heap, and the collector
      // the JVM picks under it.
      long limit = COMPOSE.memoryLimit(service.id());
      assertThat(running.metric("jvm.memory.max?tag=id:Tenured%20Gen"))
          .as("%s runs the Serial collector under %s", service, running.memory())
          .isPresent();
      double heap = running.metric("jvm.memory.max?tag=area:heap").orElseThrow();
      assertThat(heap)
          .as("%s heap at most, bytes, under %s", service, running.memory())
          .isBetween(0.9 * DOCKERFILE.heapShare() * limit, DOCKERFILE.heapShare() * limit)
          .isLessThanOrEqualTo((double) limit - JvmParityTests.BESIDE_THE_HEAP);
      System.out.printf(
          "%s under %s: heap at most %d MiB, RSS %d MiB, the cgroup's peak %s%n",
          service,
          running.memory(),
          (long) heap >> 20,
          running.residentBytes() >> 20,
          running.memory().peak().stream()
              .mapToObj(peak -> (peak >> 20) + " MiB")
              .findFirst()
              .orElse("not measured"));

      // The script the image's HEALTHCHECK runs, with the container's SERVER_PORT.
      ProcessBuilder script =
          new ProcessBuilder("bash", Repository.path("docker/healthcheck.sh").toString())
              .redirectErrorStream(true);
      script.environment().put("SERVER_PORT", String.valueOf(running.port()));
      Process probe = script.start();
      assertThat(probe.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(probe.exitValue()).as(new String(probe.getInputStream().readAllBytes())).isZero();

      running.process().destroy();
      assertThat(running.process().waitFor(40, TimeUnit.SECONDS))
          .as("%s stops within compose's stop_grace_period after SIGTERM", service)
          .isTrue();
      assertThat(Files.readString(running.log())).contains("Commencing graceful shutdown");
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(service + " log:\n" + running.tail(), e);
    }
  }
}
