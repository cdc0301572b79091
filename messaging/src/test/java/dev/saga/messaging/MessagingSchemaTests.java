package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The plumbing's tables migrate when the service's own do, and not at all when Flyway is off: the
 * image's AOT cache training run starts every service without a database (Dockerfile).
 */
class MessagingSchemaTests {

  /** A PostgreSQL address where nothing listens. */
  private final DataSource nowhere =
      new DriverManagerDataSource(
          "jdbc:postgresql://127.0.0.1:" + freePort() + "/none", "none", "none");

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void migratesThroughTheDataSource() {
    assertThatThrownBy(() -> new MessagingSchema(nowhere, true).afterPropertiesSet())
        .hasMessageContaining("Unable to obtain connection");
  }

  @Test
  void touchesNoDatabaseWhenMigrationsAreOff() {
    assertThatCode(() -> new MessagingSchema(nowhere, false).afterPropertiesSet())
        .doesNotThrowAnyException();
  }
}
