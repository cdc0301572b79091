package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.stack.LocalStack;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A service runs the same JVM wherever it runs, and that JVM fits its pod. Under the pod's memory
 * limit the JVM sizes its heap from the image's {@code -XX:MaxRAMPercentage} and, below 1.8 GB,
 * picks the Serial collector. docker-compose.yml gives its containers the same limit; {@code
 * ./run-local.sh}, whose services have no container, gives them the image's options, the limit as
 * {@code -XX:MaxRAM} and the collector by name ({@code -XX:MaxRAM} sizes the heap only).
 */
class JvmParityTests {

  /**
   * What a service's JVM holds beside its heap, with a little room: its RSS less its committed heap
   * was 296-339 MiB after the load runs with the Serial collector (class metadata, compiled code,
   * symbols, threads, the allocator; BENCHMARKS.md, "Fifteenth round"). A heap that leaves less of
   * the limit gets the pod killed by the kernel before the JVM ever runs out of heap, as 75 % of
   * 768 MiB did.
   */
  static final long BESIDE_THE_HEAP = 352L << 20;

  /** 2 CPUs and at least 1.8 GB make the JVM take a machine for a server, and pick G1. */
  static final long SERVER_CLASS_MEMORY = (2048L - 256) << 20;

  private final ComposeFile compose = ComposeFile.read();
  private final Dockerfile dockerfile = Dockerfile.read();
  private final List<String> image = dockerfile.command();

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void everyPodLimitHoldsTheLargestHeapAndWhatTheJvmNeedsBesideIt(SagaService service) {
    double heapShare = dockerfile.heapShare();
    for (String overlay : KubernetesObjects.overlays()) {
      long limit = podMemoryLimit(overlay, service);
      assertThat(limit)
          .as("%s: a limit under which the JVM picks Serial", overlay)
          .isLessThan(SERVER_CLASS_MEMORY);
      assertThat(limit - (long) (limit * heapShare))
          .as("%s: bytes of the limit left beside the largest heap", overlay)
          .isGreaterThanOrEqualTo(BESIDE_THE_HEAP);
    }
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void composeGivesEachServiceThePodsMemoryLimit(SagaService service) {
    assertThat(compose.memoryLimit(service.id())).isEqualTo(podMemoryLimit("local", service));
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void theLocalStackRunsTheImagesJvmUnderThePodsMemoryLimit(SagaService service) {
    // All but the image's AOT cache: the local stack trains and maps its own (dev-stack's
    // AotCache).
    List<String> imageOptions =
        image.subList(1, image.indexOf("-jar")).stream()
            .filter(option -> !option.startsWith("-XX:AOTCache="))
            .toList();
    assertThat(imageOptions).isNotEmpty();

    assertThat(LocalStack.SERVICE_JVM_OPTIONS)
        .containsAll(imageOptions)
        .contains(
            "-XX:MaxRAM=" + (podMemoryLimit("local", service) >> 20) + "m", "-XX:+UseSerialGC");
  }

  private static long podMemoryLimit(String overlay, SagaService service) {
    return KubernetesManifestsTests.container(overlay, service)
        .getResources()
        .getLimits()
        .get("memory")
        .getNumericalAmount()
        .longValueExact();
  }
}
