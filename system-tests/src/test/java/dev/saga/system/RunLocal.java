package dev.saga.system;

import static org.awaitility.Awaitility.await;

import dev.saga.stack.Directories;
import dev.saga.stack.StackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run-local.sh --no-build --port-offset N} started as a user starts it, on an offset whose
 * ports are all free, and {@code ./run-local.sh service <name>} against it. Their output goes to
 * {@code target/run-local*.out}; when the stack is closed, its logs are kept in {@code
 * target/run-local-logs/} and its data directory goes.
 */
final class RunLocal implements AutoCloseable {

  private final int offset;
  private final Script stack;

  private RunLocal(int offset, Script stack) {
    this.offset = offset;
    this.stack = stack;
  }

  static RunLocal up() throws IOException {
    int offset = StackPorts.freeOffset();
    return new RunLocal(offset, Script.start(offset, "run-local.out"));
  }

  /** The stack's script: after its {@code exec}, the stack's supervisor JVM. */
  Script stack() {
    return stack;
  }

  /** {@code ./run-local.sh service <name>}: one part started again against the running stack. */
  Script service(String name) throws IOException {
    return Script.start(offset, "run-local-" + name + ".out", "service", name);
  }

  int offset() {
    return offset;
  }

  StackPorts ports() {
    return StackPorts.offset(offset);
  }

  /** The log of one part of the stack, in the script's data directory. */
  Path log(String name) {
    return data().resolve("logs").resolve(name + ".log");
  }

  private Path data() {
    return Repository.path(".run-local-" + offset);
  }

  URI baseUrl(String service) {
    return URI.create("http://localhost:" + ports().service(service));
  }

  /** One run of the script, with its output. */
  record Script(Process process, Path outputFile) {

    static Script start(int offset, String outputFile, String... command) throws IOException {
      Path output = Path.of("target", outputFile).toAbsolutePath();
      Files.createDirectories(output.getParent());
      List<String> script = new ArrayList<>(List.of("bash", "run-local.sh", "--no-build"));
      script.addAll(List.of(command));
      script.addAll(List.of("--port-offset", String.valueOf(offset)));
      Process process =
          new ProcessBuilder(script)
              .directory(Repository.path("").toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      return new Script(process, output);
    }

    /** Waits until the output has {@code text}, failing at once if the script ends; the output. */
    String awaitOutput(String text, Duration atMost) {
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                String now = output();
                if (!process.isAlive() && !now.contains(text)) {
                  throw new AssertionError(
                      "run-local.sh ended before it printed " + text + ":\n" + now);
                }
                return now.contains(text);
              });
      return output();
    }

    /**
     * Stops the script with SIGTERM, which it handles as it handles Ctrl-C (a background job, as
     * this is under a build, may have SIGINT ignored); its output once it ended.
     */
    String terminate(Duration atMost) throws InterruptedException {
      process.destroy();
      if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "run-local.sh still runs " + atMost + " after SIGTERM:\n" + output());
      }
      return output();
    }

    String output() {
      try {
        return Files.readString(outputFile);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    Process process = stack.process();
    List<ProcessHandle> started = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    started.forEach(ProcessHandle::destroyForcibly);
    Path data = data();
    Path logs = Path.of("target", "run-local-logs").toAbsolutePath();
    Directories.deleteRecursively(logs);
    Directories.copyFiles(data.resolve("logs"), logs);
    Directories.deleteRecursively(data);
  }
}
