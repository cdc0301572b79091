package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalProcessesTests {

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void findsTheJitCompilerThreadsOfAJvmAndTheirCpuTime() {
    assumeTrue(LocalProcesses.available(), "Linux /proc");
    // This JVM has compiled the test framework's hot methods by now; make sure of it.
    long sum = 0;
    for (int i = 0; i < 50_000_000; i++) {
      sum += Integer.toString(i).hashCode();
    }
    assertThat(sum).isNotZero();

    long compiler = LocalProcesses.compilerCpuMillis(SELF);

    assertThat(compiler).isPositive().isLessThanOrEqualTo(LocalProcesses.cpuMillisOfSelf());
  }

  @Test
  void findsTheGarbageCollectorThreadsOfAJvmAndTheirCpuTime() {
    assumeTrue(LocalProcesses.available(), "Linux /proc");
    long before = LocalProcesses.collectorCpuMillis(SELF);
    // Full collections of ~200 MiB that stays reachable: far more than one 10 ms clock tick.
    List<long[]> live = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      live.add(new long[128 * 1024]);
    }
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
    assertThat(live).hasSize(200);

    long after = LocalProcesses.collectorCpuMillis(SELF);

    assertThat(after).isGreaterThan(before).isLessThanOrEqualTo(LocalProcesses.cpuMillisOfSelf());
  }

  @Test
  void aProcessWithoutCompilerThreadsHasNone() throws Exception {
    assumeTrue(LocalProcesses.available(), "Linux /proc");
    Process sleep = new ProcessBuilder("sleep", "5").start();
    try {
      assertThat(LocalProcesses.compilerCpuMillis(sleep.pid())).isZero();
      assertThat(LocalProcesses.collectorCpuMillis(sleep.pid())).isZero();
    } finally {
      sleep.destroy();
    }
  }
}
