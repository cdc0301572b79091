package dev.saga.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** One service of the stack as a child JVM on its own port, ready when its readiness probe is. */
public final class ServiceProcess {

  /** Spring Boot apps on two shared cores can take a while when four start at once. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(4);

  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final String name;
  private final int port;
  private final ManagedProcess process;
  private final Lifecycle lifecycle;
  private final Duration stopGrace;
  private final Runnable afterExit;

  /**
   * @param stopGrace how long a stop waits before it kills
   * @param afterExit run when a stop or kill has ended the running process (e.g. to keep its AOT
   *     cache)
   */
  ServiceProcess(
      String name,
      int port,
      ManagedProcess process,
      Lifecycle lifecycle,
      Duration stopGrace,
      Runnable afterExit) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.lifecycle = lifecycle;
    this.stopGrace = stopGrace;
    this.afterExit = afterExit;
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  public Path logFile() {
    return process.logFile();
  }

  /** Starts the process without waiting; see {@link #awaitReady()}. */
  public void start() {
    start(Map.of());
  }

  /**
   * Starts the process with {@code environment} added to its usual environment for this run only (a
   * test's failpoint, say), without waiting.
   */
  public void start(Map<String, String> environment) {
    if (process.isAlive()) {
      return;
    }
    if (Platform.isListening("127.0.0.1", port)) {
      throw new IllegalStateException(
          "Port " + port + " is already in use: is " + name + " already running elsewhere?");
    }
    lifecycle.start(process, environment);
  }

  public void awaitReady() {
    awaitReady(DEFAULT_START_TIMEOUT);
  }

  /** Waits for HTTP 200 from the readiness probe; fails at once with the log if the JVM exits. */
  public void awaitReady(Duration timeout) {
    Poll.until(name + " to be ready", timeout, process::checkAlive, this::isReady);
  }

  /** One probe of {@code /actuator/health/readiness}. */
  public boolean isReady() {
    try {
      return Http.get(baseUrl() + "/actuator/health/readiness").status() == 200;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }

  /** Graceful stop (SIGTERM), killed after 20 s (3 minutes while it writes an AOT cache). */
  public void stop() {
    boolean running = process.isAlive();
    process.stop(ManagedProcess.StopSignal.TERM, stopGrace);
    if (running) {
      afterExit.run();
    }
  }

  /** Waits up to {@code timeout} for the process to end on its own; whether it has. */
  public boolean awaitExit(Duration timeout) {
    return process.awaitExit(timeout);
  }

  /** SIGKILL: no shutdown hooks, no graceful shutdown, as in a crash. */
  public void kill() {
    boolean running = process.isAlive();
    process.kill();
    if (running) {
      afterExit.run();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Optional<Long> pid() {
    return process.pid();
  }

  /** The exit code once the process has ended. */
  public Optional<Integer> exitCode() {
    return process.exitCode();
  }

  /** The last lines of the service's log, for failure messages. */
  public String logTail(int lines) {
    return process.logTail(lines);
  }
}
