package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.deploy.Dockerfile.Instruction;
import dev.saga.deploy.Dockerfile.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one image recipe: a JRE 25 runtime, a non-root user, nothing but the layers, a health check.
 */
class DockerfileTests {

  private final Dockerfile dockerfile = Dockerfile.read();

  @Test
  void runsOnAJava25RuntimeWithoutBuildTools() {
    Stage runtime = dockerfile.finalStage();
    assertThat(runtime.image()).matches("eclipse-temurin:25(\\.[0-9.+_]+)?-jre(-[a-z]+)?");
    assertThat(runtime.all("RUN"))
        .extracting(Instruction::arguments)
        .allSatisfy(
            run ->
                assertThat(run)
                    .doesNotContainPattern("apt-get|apk |microdnf|yum|mvn|gradle|curl|wget"));
    assertThat(runtime.all("COPY"))
        .extracting(Instruction::arguments)
        .allSatisfy(
            copy ->
                assertThat(copy).matches("--from=layers .*|--chmod=0555 docker/healthcheck.sh .*"));
  }

  @Test
  void extractsTheJarIntoSpringBootsLayersAndCopiesThemLeastChangingFirst() {
    Stage layers = dockerfile.stage("layers");
    assertThat(layers.image()).isEqualTo(dockerfile.finalStage().image());
    assertThat(layers.all("RUN"))
        .extracting(Instruction::arguments)
        .containsExactly(
            "java -Djarmode=tools -jar app.jar extract --layers --destination extracted");
    assertThat(dockerfile.finalStage().all("COPY"))
        .extracting(Instruction::arguments)
        .filteredOn(copy -> copy.startsWith("--from=layers"))
        .containsExactly(
            "--from=layers /build/extracted/dependencies/ ./",
            "--from=layers /build/extracted/spring-boot-loader/ ./",
            "--from=layers /build/extracted/snapshot-dependencies/ ./",
            "--from=layers /build/extracted/application/ ./");
  }

  @Test
  void trainsTheAotCacheWithTheJvmThatMapsIt() {
    List<Instruction> instructions = dockerfile.finalStage().instructions();
    List<Instruction> training =
        dockerfile.finalStage().all("RUN").stream()
            .filter(run -> run.arguments().startsWith("java "))
            .toList();
    assertThat(training).hasSize(1);
    List<String> trainingCommand = List.of(training.getFirst().arguments().split("\\s+"));

    // Spring's training run: up to the context refresh, writing the cache the image maps.
    assertThat(trainingCommand)
        .contains("-XX:AOTCacheOutput=" + dockerfile.aotCache(), "-Dspring.context.exit=onRefresh")
        .endsWith("-jar", "app.jar");
    // After the application's layers: the cache holds the class path it was trained with.
    assertThat(instructions.indexOf(training.getFirst()))
        .isGreaterThan(
            instructions.indexOf(
                dockerfile.finalStage().all("COPY").stream()
                    .filter(copy -> copy.arguments().startsWith("--from=layers"))
                    .reduce((first, second) -> second)
                    .orElseThrow()));
    // The same JVM options, under the memory the pods give: the JVM maps a cache only with the
    // collector and pointer sizes it was written with.
    assertThat(trainingCommand).containsAll(dockerfile.jvmOptionsButTheCache());
    long trainedUnder =
        Long.parseLong(
                Dockerfile.option(trainingCommand, "-XX:MaxRAM=").orElseThrow().replace("m", ""))
            << 20;
    ComposeFile compose = ComposeFile.read();
    for (SagaService service : SagaService.values()) {
      assertThat(trainedUnder).as(service.id()).isEqualTo(compose.memoryLimit(service.id()));
    }
  }

  @Test
  void runsAsAFixedNonRootUser() {
    String user = dockerfile.finalStage().last("USER").orElseThrow().arguments();
    assertThat(user).matches("[1-9][0-9]{3,}:[1-9][0-9]{3,}");
    List<Instruction> instructions = dockerfile.finalStage().instructions();
    assertThat(instructions.indexOf(dockerfile.finalStage().last("USER").orElseThrow()))
        .as("USER comes after every RUN and COPY")
        .isGreaterThan(
            instructions.stream()
                .filter(i -> i.keyword().equals("RUN") || i.keyword().equals("COPY"))
                .mapToInt(instructions::indexOf)
                .max()
                .orElseThrow());
  }

  @Test
  void startsTheJvmDirectlyWithContainerAwareMemory() {
    List<String> command = dockerfile.command();
    assertThat(command.getFirst()).isEqualTo("java");
    // How much of the limit the heap may take: JvmParityTests checks that the rest is enough.
    assertThat(command)
        .contains("-XX:+ExitOnOutOfMemoryError")
        .anySatisfy(option -> assertThat(option).startsWith("-XX:MaxRAMPercentage="));
    assertThat(command.subList(command.size() - 2, command.size()))
        .containsExactly("-jar", "app.jar");
  }

  @Test
  void checksReadinessWithoutCurlInTheImage() {
    Instruction healthcheck = dockerfile.finalStage().last("HEALTHCHECK").orElseThrow();
    assertThat(healthcheck.arguments()).endsWith("CMD [\"/usr/local/bin/healthcheck\"]");
    assertThat(Repository.read("docker/healthcheck.sh"))
        .startsWith("#!/usr/bin/env bash")
        .contains("/actuator/health/readiness", "/dev/tcp/127.0.0.1/${SERVER_PORT");
  }

  @Test
  void sendsOnlyTheJarsAndTheHealthCheckToTheBuilder() {
    assertThat(
            Repository.read(".dockerignore")
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#")))
        .containsExactly("*", "!*/target/*-service.jar", "!docker/healthcheck.sh");
  }
}
