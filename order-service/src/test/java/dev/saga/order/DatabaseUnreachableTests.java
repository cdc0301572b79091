package dev.saga.order;

import static dev.saga.order.OrderApi.orderBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.order.OrderApi.Response;
import dev.saga.test.Infrastructure;
import dev.saga.test.ServiceTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The order service while its database refuses every connection, on a real PostgreSQL: each request
 * that needs it, whichever way it reaches it (the admission's JDBC count, a JPA read, a JPA
 * transaction), is answered 503 problem details with {@code Retry-After} after the pool's
 * connection timeout, and the service answers as before once the database is back. The database
 * refuses connections ({@code ALLOW_CONNECTIONS false}) and its sessions are terminated, as a
 * server shutting down terminates them; the pool's timeout is 1 s here instead of 30 s.
 */
@ServiceTest(properties = "spring.datasource.hikari.connection-timeout=1000")
class DatabaseUnreachableTests {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @Test
  void answersServiceUnavailableWithRetryAfterUntilTheDatabaseIsBack() throws SQLException {
    OrderApi api = new OrderApi(port);
    String database = jdbc.sql("select current_database()").query(String.class).single();
    String missing = "/api/orders/" + UUID.randomUUID();
    List<Supplier<Response>> requests =
        List.of(
            () -> api.place(orderBody("C-" + UUID.randomUUID(), "P-1", 1)),
            () ->
                api.place(
                    orderBody("C-" + UUID.randomUUID(), "P-1", 1), "key-" + UUID.randomUUID()),
            () -> api.get(missing),
            () -> api.post(missing + "/cancel"));
    assertThat(api.get(missing).status()).isEqualTo(404);

    refuseConnections(database, true);
    try {
      for (Supplier<Response> request : requests) {
        Response answer = request.get();

        assertThat(answer.status()).as(answer.text()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.headers().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.body().get("detail").asString())
            .isEqualTo(
                "The service cannot reach its database; try again after the Retry-After seconds");
      }
    } finally {
      refuseConnections(database, false);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(api.get(missing).status()).isEqualTo(404));
    assertThat(api.post(missing + "/cancel").status()).isEqualTo(404);
  }

  /** Closes the database to new sessions and terminates its open ones, or opens it again. */
  private static void refuseConnections(String database, boolean refuse) throws SQLException {
    Infrastructure server = Infrastructure.shared();
    try (Connection admin =
            DriverManager.getConnection(
                server.jdbcUrl("postgres"), server.username(), server.password());
        Statement statement = admin.createStatement()) {
      statement.execute("alter database " + database + " allow_connections " + !refuse);
      if (refuse) {
        statement.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                + database
                + "'");
      }
    }
  }
}
