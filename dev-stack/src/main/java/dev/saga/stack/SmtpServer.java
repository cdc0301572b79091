package dev.saga.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GreenMail standalone as a child JVM: an SMTP server without authentication that keeps every mail,
 * and a REST API with a web UI to read them.
 */
public final class SmtpServer {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final int port;
  private final int apiPort;
  private final Path jar;
  private final List<String> jvmOptions;
  private final Lifecycle lifecycle;
  private final ManagedProcess.Factory processes;
  private ManagedProcess process;

  SmtpServer(
      int port,
      int apiPort,
      Path jar,
      List<String> jvmOptions,
      Lifecycle lifecycle,
      ManagedProcess.Factory processes) {
    this.port = port;
    this.apiPort = apiPort;
    this.jar = jar;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.lifecycle = lifecycle;
    this.processes = processes;
  }

  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    for (int candidate : List.of(port, apiPort)) {
      if (Platform.isListening("127.0.0.1", candidate)) {
        throw new IllegalStateException(
            "Port " + candidate + " is already in use: is another stack or mail server running?");
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Platform.javaExecutable());
    command.add("-Xmx256m");
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-Dgreenmail.smtp.hostname=127.0.0.1",
            "-Dgreenmail.smtp.port=" + port,
            "-Dgreenmail.api.hostname=127.0.0.1",
            "-Dgreenmail.api.port=" + apiPort,
            // Any sender may deliver to any recipient, as the services' mail settings expect.
            "-Dgreenmail.auth.disabled",
            "-jar",
            jar.toString()));
    process = processes.create("smtp", command, Map.of());
    lifecycle.start(process);
    ManagedProcess started = process;
    Poll.until(
        "GreenMail on ports " + port + " and " + apiPort,
        START_TIMEOUT,
        started::checkAlive,
        () ->
            Platform.isListening("127.0.0.1", port)
                && Http.get(apiUrl() + "/api/service/readiness").status() == 200);
  }

  public void stop() {
    ManagedProcess current = current();
    if (current != null) {
      current.stop(ManagedProcess.StopSignal.TERM, STOP_GRACE);
    }
  }

  public void kill() {
    ManagedProcess current = current();
    if (current != null) {
      current.kill();
    }
  }

  public boolean isAlive() {
    ManagedProcess current = current();
    return current != null && current.isAlive();
  }

  public Optional<Long> pid() {
    ManagedProcess current = current();
    return current == null ? Optional.empty() : current.pid();
  }

  /** The SMTP port on localhost, no authentication. */
  public int port() {
    return port;
  }

  /** GreenMail's web UI and REST API, e.g. {@code GET /api/user/{email}/messages}. */
  public String apiUrl() {
    return "http://localhost:" + apiPort;
  }

  public Path logFile() {
    return processes.logFile("smtp");
  }

  private synchronized ManagedProcess current() {
    return process;
  }
}
