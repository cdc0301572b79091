package dev.saga.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTests {

  @TempDir static Path baseDir;

  private static LocalStack stack;

  @BeforeAll
  static void startPostgres() {
    stack =
        LocalStack.builder()
            .baseDir(baseDir)
            .ports(StackPorts.free())
            .components(LocalStack.Component.POSTGRES)
            .noServices()
            .build();
    stack.startInfrastructure();
  }

  @AfterAll
  static void stopPostgres() {
    stack.close();
  }

  @Test
  void eachServiceRoleLogsIntoItsOwnDatabaseAndRunsSql() throws SQLException {
    for (String service : LocalStack.SERVICES) {
      String database = PostgresServer.databaseOf(service);
      try (Connection connection =
              java.sql.DriverManager.getConnection(stack.jdbcUrl(service), database, database);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE probe (id int PRIMARY KEY, note text)");
        statement.execute("INSERT INTO probe VALUES (1, '" + service + "')");
        try (ResultSet result =
            statement.executeQuery("SELECT current_database(), current_user, note FROM probe")) {
          assertThat(result.next()).isTrue();
          assertThat(result.getString(1)).isEqualTo(database);
          assertThat(result.getString(2)).isEqualTo(database);
          assertThat(result.getString(3)).isEqualTo(service);
        }
        statement.execute("DROP TABLE probe");
      }
    }
  }

  @Test
  void passwordsAreChecked() {
    assertThatThrownBy(
            () ->
                stack
                    .postgres()
                    .connect("order_service", "order_service", "wrong-password")
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void theServerIsConfiguredForTheServices() throws SQLException {
    try (Connection connection = superuser();
        Statement statement = connection.createStatement()) {
      assertThat(setting(statement, "max_connections")).isEqualTo("300");
      assertThat(setting(statement, "fsync")).isEqualTo("on");
      assertThat(setting(statement, "server_encoding")).isEqualTo("UTF8");
    }
  }

  @Test
  void dataSurvivesAStopAndStartAndStopLeavesNoServerProcess() throws SQLException {
    try (Connection connection =
            stack.postgres().connect("payment_service", "payment_service", "payment_service");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE kept (id int PRIMARY KEY, note text)");
      statement.execute("INSERT INTO kept VALUES (42, 'still here')");
    }
    long pid = stack.postgres().pid().orElseThrow();
    List<ProcessHandle> family = ProcessHandle.of(pid).orElseThrow().descendants().toList();

    stack.postgres().stop();

    assertThat(stack.postgres().isAlive()).isFalse();
    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(family).isNotEmpty().noneMatch(ProcessHandle::isAlive);
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(process -> process.info().command().orElse(""))
                .filter(command -> command.contains("postgres")))
        .isEmpty();

    stack.postgres().start();

    try (Connection connection =
            stack.postgres().connect("payment_service", "payment_service", "payment_service");
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT note FROM kept WHERE id = 42")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(1)).isEqualTo("still here");
    }
  }

  private static Connection superuser() throws SQLException {
    return stack
        .postgres()
        .connect("postgres", PostgresServer.SUPERUSER, PostgresServer.SUPERUSER_PASSWORD);
  }

  private static String setting(Statement statement, String name) throws SQLException {
    try (ResultSet result = statement.executeQuery("SHOW " + name)) {
      result.next();
      return result.getString(1);
    }
  }
}
