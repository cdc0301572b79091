package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PodMemoryTests {

  @Test
  void aCommandRunsInTheLimitsCgroupWhichGoesWithIt() throws Exception {
    String name = "saga-pod-memory-test-" + ProcessHandle.current().pid();
    PodMemory memory = PodMemory.of(name, 64L << 20);
    List<String> command = memory.command(List.of("cat", "/proc/self/cgroup"));
    if (!memory.enforced()) {
      // Told to the JVM instead: the limit as MaxRAM, and the collector the JVM picks under it.
      assertThat(command)
          .as(memory.toString())
          .containsExactly("cat", "-XX:MaxRAM=64m", "-XX:+UseSerialGC", "/proc/self/cgroup");
      return;
    }
    Path cgroup = memory.cgroup().orElseThrow();
    assertThat(cgroup).isDirectory();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String cgroups = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cgroups).as(memory.toString()).contains("/" + name + "\n");
    assertThat(memory.peak()).isPresent();

    memory.close();
    assertThat(Files.exists(cgroup)).isFalse();
  }
}
