package dev.saga.test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Starts the infrastructure of the selected kind once per JVM, and GreenMail on demand. */
final class SharedInfrastructure {

  private static final Duration CONTEXTS_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static Infrastructure infrastructure;
  private static GreenMail mail;
  private static int leases;

  private SharedInfrastructure() {}

  static synchronized Infrastructure get() {
    if (infrastructure == null) {
      infrastructure =
          switch (InfrastructureKind.fromEnvironment()) {
            case EMBEDDED -> new EmbeddedInfrastructure();
            case TESTCONTAINERS -> new ContainerInfrastructure();
          };
      Infrastructure started = infrastructure;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    awaitLeasesReturned();
                    started.close();
                  },
                  "infrastructure-shutdown"));
    }
    return infrastructure;
  }

  /**
   * Marks the infrastructure as in use by an application context until the returned lease is
   * closed. JVM shutdown hooks run concurrently, so without leases the broker and database could
   * stop while a context's listeners and relay still use them.
   */
  static synchronized AutoCloseable lease() {
    leases++;
    return () -> {
      synchronized (SharedInfrastructure.class) {
        leases--;
        SharedInfrastructure.class.notifyAll();
      }
    };
  }

  private static synchronized void awaitLeasesReturned() {
    long deadline = System.nanoTime() + CONTEXTS_CLOSE_TIMEOUT.toNanos();
    while (leases > 0 && System.nanoTime() < deadline) {
      try {
        SharedInfrastructure.class.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** An SMTP (and IMAP) server in this JVM; a real protocol peer, whatever the infrastructure. */
  static synchronized GreenMail mail() {
    if (mail == null) {
      mail = new GreenMail(new ServerSetup[] {smtp(), imap()});
      mail.start();
      GreenMail started = mail;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "mail-shutdown"));
    }
    return mail;
  }

  private static ServerSetup smtp() {
    return new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
  }

  private static ServerSetup imap() {
    return new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort();
  }

  /**
   * Creates databases on a server on first use; PostgreSQL has no CREATE DATABASE IF NOT EXISTS.
   */
  static final class Databases {

    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final String adminUrl;
    private final String username;
    private final String password;

    Databases(String adminUrl, String username, String password) {
      this.adminUrl = adminUrl;
      this.username = username;
      this.password = password;
    }

    synchronized void ensure(String database) {
      if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
        throw new IllegalArgumentException("Not a plain database name: " + database);
      }
      if (created.contains(database)) {
        return;
      }
      try (Connection connection = DriverManager.getConnection(adminUrl, username, password);
          Statement statement = connection.createStatement()) {
        var exists =
            statement.executeQuery("select 1 from pg_database where datname = '" + database + "'");
        if (!exists.next()) {
          statement.execute("create database " + database);
        }
        created.add(database);
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot create database " + database, e);
      }
    }
  }
}
