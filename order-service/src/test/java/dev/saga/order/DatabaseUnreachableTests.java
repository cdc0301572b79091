package dev.saga.order;

import static dev.saga.order.OrderApi.orderBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
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
 * server shutting down terminates them; the pool's timeout is 2 s here instead of 30 s.
 */
@ServiceTest(
    properties = {
      "spring.datasource.hikari.connection-timeout=2000",
      // Only what a server on platform threads would have; 200 by default.
      "server.tomcat.threads.max=4"
    })
class DatabaseUnreachableTests {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  private OrderApi api;
  private String database;

  @BeforeEach
  void connect() {
    api = new OrderApi(port);
    database = jdbc.sql("select current_database()").query(String.class).single();
  }

  @Test
  void answersServiceUnavailableWithRetryAfterUntilTheDatabaseIsBack() throws SQLException {
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

  @Test
  void answersTheProbesWhileMoreRequestsWaitForTheDatabaseThanThereArePlatformThreads()
      throws SQLException {
    HikariPoolMXBean pool = ((HikariDataSource) dataSource).getHikariPoolMXBean();
    int waiting = 16;
    // The requests must all wait within one connection timeout (2 s): a first request would
    // spend part of it starting the dispatcher servlet and the client's connections.
    assertThat(api.get("/api/orders/" + UUID.randomUUID()).status()).isEqualTo(404);

    refuseConnections(database, true);
    // A terminated connection used in the last 500 ms is lent unchecked and fails at once;
    // evicted, none is lent, and every request waits for a new one.
    pool.softEvictConnections();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Response>> requests =
          IntStream.range(0, waiting)
              .mapToObj(i -> clients.submit(() -> api.get("/api/orders/" + UUID.randomUUID())))
              .toList();
      // On platform threads, four requests would wait and hold every thread; the probe would
      // queue behind the other twelve, 2 s each.
      await()
          .atMost(Duration.ofSeconds(10))
          .failFast(
              "a request was answered before all of them waited for the database",
              () ->
                  assertThat(
                          requests.stream()
                              .filter(Future::isDone)
                              .map(
                                  request ->
                                      request.state() == Future.State.SUCCESS
                                          ? request.resultNow()
                                          : request.exceptionNow()))
                      .isEmpty())
          .until(pool::getThreadsAwaitingConnection, count -> count >= waiting);

      long started = System.nanoTime();
      Response liveness = api.get("/actuator/health/liveness");
      Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);

      assertThat(liveness.status()).isEqualTo(200);
      assertThat(answeredIn).isLessThan(Duration.ofSeconds(1));
      assertThat(requests).extracting(request -> request.get().status()).containsOnly(503);
    } finally {
      refuseConnections(database, false);
    }
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
