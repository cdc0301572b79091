package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
  void aProcessWithoutCompilerThreadsHasNone() throws Exception {
    assumeTrue(LocalProcesses.available(), "Linux /proc");
    Process sleep = new ProcessBuilder("sleep", "5").start();
    try {
      assertThat(LocalProcesses.compilerCpuMillis(sleep.pid())).isZero();
    } finally {
      sleep.destroy();
    }
  }
}
