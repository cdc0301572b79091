package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.CRC32;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./load-test.sh profile}: a real JFR recording of this JVM, made while one method of this
 * class spends its CPU in the JDK (CRC32 over a buffer), is charged to that method and to this
 * project, not to the JDK's top frame, and to the test as its entry point (the outermost frame of
 * the project's code).
 */
class CpuProfileTests {

  private static volatile long sink;

  @Test
  void chargesTheJdksFramesToTheirFirstCallerOutsideTheJdk(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("busy.jfr");
    try (Recording recording = new Recording()) {
      // The CPU-time sampler of JDK 25 on Linux; the execution sampler everywhere else.
      recording.enable(CpuProfile.CPU_TIME_SAMPLE).with("throttle", "1ms");
      recording.enable(CpuProfile.EXECUTION_SAMPLE).withPeriod(Duration.ofMillis(10));
      recording.start();
      checksumsFor(Duration.ofMillis(1500));
      recording.stop();
      recording.dump(file);
    }

    CpuProfile profile = CpuProfile.read(file);

    assertThat(profile.samples()).isGreaterThan(20);
    String busy = CpuProfileTests.class.getName() + ".checksumsFor";
    assertThat(share(profile.byMethod(), busy, profile.samples())).isGreaterThan(0.5);
    assertThat(share(profile.byLibrary(), "this project", profile.samples())).isGreaterThan(0.5);
    String test =
        CpuProfileTests.class.getName() + ".chargesTheJdksFramesToTheirFirstCallerOutsideTheJdk";
    assertThat(share(profile.byEntry(), test, profile.samples())).isGreaterThan(0.9);
    assertThat(profile.byMethod().keySet()).noneMatch(m -> m.startsWith("java.util.zip."));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    profile.print(file, new PrintStream(bytes, true, StandardCharsets.UTF_8), 5);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("## busy.jfr: ")
        .contains("| this project | ")
        .contains("| " + busy + " | ");
  }

  @Test
  void namesTheLibraryOfAFrameAndNoneForTheJdk() {
    assertThat(CpuProfile.library("org.postgresql.core.PGStream.flush"))
        .isEqualTo("PostgreSQL JDBC driver");
    assertThat(CpuProfile.library("org.springframework.kafka.listener.X.run"))
        .isEqualTo("Spring Kafka");
    assertThat(CpuProfile.library("org.springframework.beans.X.get")).isEqualTo("Spring (other)");
    assertThat(CpuProfile.library("sun.nio.ch.SocketDispatcher.write0")).isNull();
    assertThat(CpuProfile.library("java.util.HashMap.get")).isNull();
    assertThat(CpuProfile.library("org.example.Thing.run")).isEqualTo("org.example");
  }

  @Test
  void refusesOptionsAndAnEmptyList() {
    assertThat(Main.profile(java.util.List.of())).isEqualTo(64);
    assertThat(Main.profile(java.util.List.of("--port-offset"))).isEqualTo(64);
  }

  private static void checksumsFor(Duration duration) {
    byte[] buffer = new byte[64 * 1024];
    CRC32 crc = new CRC32();
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      crc.update(buffer);
      buffer[(int) (crc.getValue() & 0xFFFF)]++;
    }
    sink = crc.getValue();
  }

  private static double share(Map<String, Integer> counts, String key, int samples) {
    return counts.getOrDefault(key, 0) / (double) samples;
  }
}
