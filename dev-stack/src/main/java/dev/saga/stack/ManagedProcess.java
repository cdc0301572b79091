package dev.saga.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One child OS process of the stack: started in its own session with its output appended to a log
 * file, stopped by a chosen signal with a grace period, and watched for exits nobody asked for.
 */
final class ManagedProcess {

  /** How a process is asked to stop before it is killed. */
  enum StopSignal {
    /** SIGTERM: graceful shutdown for JVMs (shutdown hooks run). */
    TERM,
    /** SIGINT: PostgreSQL's "fast" shutdown (abort transactions, checkpoint, exit). */
    INT
  }

  /** Creates the processes of one stack: one logs directory, console echo and exit reporting. */
  record Factory(
      Path logsDirectory, boolean echoToConsole, Consumer<ProcessExit> onUnexpectedExit) {

    Path logFile(String name) {
      return logsDirectory.resolve(name + ".log");
    }

    ManagedProcess create(String name, List<String> command, Map<String, String> environment) {
      return new ManagedProcess(
          name, command, environment, logFile(name), echoToConsole, onUnexpectedExit);
    }
  }

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path logFile;
  private final boolean echoToConsole;
  private final Consumer<ProcessExit> onUnexpectedExit;
  private Run current;

  ManagedProcess(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path logFile,
      boolean echoToConsole,
      Consumer<ProcessExit> onUnexpectedExit) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.logFile = logFile;
    this.echoToConsole = echoToConsole;
    this.onUnexpectedExit = onUnexpectedExit;
  }

  /** One start of the process; a restart is a new run, so a late exit of the old one is ignored. */
  private static final class Run {
    final Process process;
    volatile boolean exitExpected;
    Thread pump;

    Run(Process process) {
      this.process = process;
    }
  }

  String name() {
    return name;
  }

  Path logFile() {
    return logFile;
  }

  List<String> command() {
    return command;
  }

  synchronized void start() {
    start(Map.of());
  }

  /** Starts the process with {@code overrides} added to its environment for this run only. */
  synchronized void start(Map<String, String> overrides) {
    if (current != null && current.process.isAlive()) {
      throw new IllegalStateException(
          name + " is already running (pid " + current.process.pid() + ")");
    }
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(
          logFile,
          "---- "
              + name
              + " starting at "
              + Instant.now()
              + ": "
              + String.join(" ", command)
              + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(Platform.detached(command))
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      builder.environment().putAll(overrides);
      // Without echo the child writes straight to the file: its log survives the supervisor.
      builder.redirectOutput(
          echoToConsole
              ? ProcessBuilder.Redirect.PIPE
              : ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      Run run = new Run(builder.start());
      if (echoToConsole) {
        run.pump = Thread.ofPlatform().name(name + "-output").start(() -> pump(run.process));
      }
      current = run;
      run.process.onExit().thenAccept(process -> exited(run));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  private void exited(Run run) {
    if (run.pump != null) {
      joinQuietly(run.pump);
    }
    if (!run.exitExpected) {
      onUnexpectedExit.accept(new ProcessExit(name, run.process.exitValue(), logFile));
    }
  }

  private void pump(Process process) {
    PrintStream console = System.out;
    try (InputStream in = process.getInputStream();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        OutputStream log =
            Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        log.flush();
        console.println(line);
      }
    } catch (IOException e) {
      // The child closed its output while dying; its exit is reported on its own.
    }
  }

  synchronized boolean isAlive() {
    return current != null && current.process.isAlive();
  }

  synchronized Optional<Long> pid() {
    return Optional.ofNullable(current).map(run -> run.process.pid());
  }

  /** The exit code of the last run, if it has ended. */
  synchronized Optional<Integer> exitCode() {
    if (current == null || current.process.isAlive()) {
      return Optional.empty();
    }
    return Optional.of(current.process.exitValue());
  }

  /** Asks the process to stop, kills it after the grace period, and then kills its leftovers. */
  void stop(StopSignal signal, Duration grace) {
    Run run;
    synchronized (this) {
      run = current;
    }
    if (run == null) {
      return;
    }
    run.exitExpected = true;
    List<ProcessHandle> family = descendants(run.process);
    if (run.process.isAlive()) {
      switch (signal) {
        case TERM -> run.process.destroy();
        case INT -> Platform.signal(run.process.pid(), "INT");
      }
    }
    if (!waitFor(run.process, grace)) {
      System.err.println(
          "[dev-stack] " + name + " did not stop within " + grace.toSeconds() + " s; killing it");
      run.process.destroyForcibly();
      waitFor(run.process, Duration.ofSeconds(10));
    }
    killAll(family);
  }

  /** SIGKILL for the process and everything it started; no shutdown hooks run. */
  void kill() {
    Run run;
    synchronized (this) {
      run = current;
    }
    if (run == null) {
      return;
    }
    run.exitExpected = true;
    List<ProcessHandle> family = descendants(run.process);
    run.process.destroyForcibly();
    waitFor(run.process, Duration.ofSeconds(10));
    killAll(family);
  }

  /** Whether the current run is still alive after waiting up to the timeout for it to end. */
  boolean awaitExit(Duration timeout) {
    Run run;
    synchronized (this) {
      run = current;
    }
    return run == null || waitFor(run.process, timeout);
  }

  /** Throws with the end of the log when the process is not running, for readiness waits. */
  void checkAlive() {
    Optional<Integer> exit = exitCode();
    if (exit.isPresent()) {
      throw new IllegalStateException(
          name
              + " exited with code "
              + exit.get()
              + " while starting; see "
              + logFile
              + "\n"
              + logTail(30));
    }
  }

  String logTail(int lines) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = file.length();
      long from = Math.max(0, length - 16_384);
      byte[] bytes = new byte[(int) (length - from)];
      file.seek(from);
      file.readFully(bytes);
      List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static List<ProcessHandle> descendants(Process process) {
    List<ProcessHandle> family = new ArrayList<>();
    process.descendants().forEach(family::add);
    return family;
  }

  private static void killAll(List<ProcessHandle> family) {
    family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : family) {
      try {
        handle.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Reported by the callers' own checks; nothing more can be done here.
      }
    }
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
