package dev.saga.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Spring Boot's jar tools ({@code -Djarmode=tools}) with this JVM's Java. */
final class JarTools {

  private JarTools() {}

  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Runs {@code java -Djarmode=tools -jar <jar> <arguments>} in {@code directory}. */
  static void extract(Path jar, Path directory, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(java().toString(), "-Djarmode=tools", "-jar"));
    command.add(jar.toAbsolutePath().toString());
    command.addAll(arguments);
    run(command, directory);
  }

  static void run(List<String> command, Path directory) {
    run(new ProcessBuilder(command).directory(directory.toFile()), Duration.ofMinutes(2));
  }

  /**
   * Runs {@code builder}'s command with its output in a log, and fails with that log unless the
   * command exits with 0 within {@code limit}.
   */
  static void run(ProcessBuilder builder, Duration limit) {
    try {
      Path log = Files.createTempFile("jar-tools", ".log");
      Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "Failed: " + String.join(" ", builder.command()) + "\n" + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
