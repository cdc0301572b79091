package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.stack.LocalStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * The old generation the JVM starts with must hold the AOT cache's archived heap objects, or a
   * JVM whose cache links classes ahead of time refuses to start ("archived heap objects cannot be
   * loaded"). A cache of order-service trained under load archived 8.0 MiB; the default initial
   * heap under 768 MiB, a 64th, gave the Serial collector an old generation of 8 MiB, and
   * order-service did not start.
   */
  static final long ARCHIVED_HEAP_ROOM = 32L << 20;

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void theFirstOldGenerationHoldsTheAotCachesArchivedHeap(SagaService service) throws Exception {
    for (String overlay : KubernetesObjects.overlays()) {
      long limit = podMemoryLimit(overlay, service);
      List<String> command = new ArrayList<>(List.of(JarTools.java().toString()));
      command.addAll(dockerfile.jvmOptionsButTheCache());
      // The pod's JVM: the limit as its memory, and the collector it picks under it. -XX:MaxRAM
      // sizes the heap but does not make that pick; ImageLayoutTests checks it in a memory cgroup.
      command.addAll(
          List.of("-XX:MaxRAM=" + limit, "-XX:+UseSerialGC", "-XX:+PrintFlagsFinal", "-version"));
      Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
      String flags = new String(java.getInputStream().readAllBytes());
      assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(
              Long.parseLong(flag(flags, "InitialHeapSize"))
                  - Long.parseLong(flag(flags, "NewSize")))
          .as("%s: bytes of the first old generation", overlay)
          .isGreaterThanOrEqualTo(ARCHIVED_HEAP_ROOM);
    }
  }

  private static String flag(String flags, String name) {
    Matcher flag = Pattern.compile("\\s" + name + "\\s+:?=\\s+(\\S+)").matcher(flags);
    assertThat(flag.find()).as("-XX:+PrintFlagsFinal shows %s", name).isTrue();
    return flag.group(1);
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void composeGivesEachServiceThePodsMemoryLimit(SagaService service) {
    assertThat(compose.memoryLimit(service.id())).isEqualTo(podMemoryLimit("local", service));
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void theLocalStackRunsTheImagesJvmUnderThePodsMemoryLimit(SagaService service) {
    // The local stack trains and maps its own AOT cache (dev-stack's AotCache).
    List<String> imageOptions = dockerfile.jvmOptionsButTheCache();
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
