package dev.saga.load;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What the system spent, read from the outside: committed transactions per database ({@code
 * pg_stat_database.xact_commit}) and WAL flushes ({@code pg_stat_wal.wal_sync}), records appended
 * per topic (end offsets), and CPU time per process of the stack ({@code /proc}, when it runs on
 * this machine). Two samples give what happened in between.
 */
final class CostCounters implements AutoCloseable {

  static final List<String> DATABASES =
      List.of("order_service", "inventory_service", "payment_service", "notification_service");

  private final Endpoints.Database database;
  private final Admin kafka;
  private final Map<String, Long> processes = new LinkedHashMap<>();

  /** Everything counted at one moment. */
  record Sample(
      Instant at,
      Map<String, Long> commits,
      long walSyncs,
      Map<String, Long> records,
      Map<String, Long> cpuMillis,
      Map<String, Long> compilerCpuMillis,
      Map<String, Long> collectorCpuMillis,
      long machineBusyMillis,
      long machineTotalMillis) {}

  /**
   * @param database any service database: {@code pg_stat_database} shows them all
   * @param processes the processes to measure, by name, each found by the port it listens on
   */
  CostCounters(Endpoints.Database database, String bootstrapServers, Map<String, Integer> ports) {
    this.database = database;
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "load-generator-offsets");
    this.kafka = Admin.create(config);
    if (LocalProcesses.available()) {
      ports.forEach(
          (name, port) ->
              LocalProcesses.listeningOn(port).ifPresent(pid -> processes.put(name, pid)));
    }
  }

  /** The processes found on this machine, by name. */
  Map<String, Long> processes() {
    return processes;
  }

  Sample sample() {
    Map<String, Long> cpu = new LinkedHashMap<>();
    processes.forEach((name, pid) -> cpu.put(name, LocalProcesses.cpuMillisOfTree(pid)));
    cpu.put("load-generator", LocalProcesses.cpuMillisOfSelf());
    Map<String, Long> compiler = new LinkedHashMap<>();
    processes.forEach((name, pid) -> compiler.put(name, LocalProcesses.compilerCpuMillis(pid)));
    Map<String, Long> collector = new LinkedHashMap<>();
    processes.forEach((name, pid) -> collector.put(name, LocalProcesses.collectorCpuMillis(pid)));
    long[] machine = LocalProcesses.machineCpuMillis();
    Map<String, Long> commits = new TreeMap<>();
    long walSyncs = -1;
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(), database.username(), database.password());
        Statement statement = connection.createStatement()) {
      try (ResultSet rows =
          statement.executeQuery(
              "select datname, xact_commit from pg_stat_database where datname like '%_service'")) {
        while (rows.next()) {
          commits.put(rows.getString(1), rows.getLong(2));
        }
      }
      try (ResultSet rows = statement.executeQuery("select wal_sync from pg_stat_wal")) {
        walSyncs = rows.next() ? rows.getLong(1) : -1;
      } catch (SQLException notReadable) {
        // pg_stat_wal moved its counters to pg_stat_io in PostgreSQL 18.
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read pg_stat_database at " + database.jdbcUrl(), e);
    }
    return new Sample(
        Instant.now(),
        commits,
        walSyncs,
        endOffsets(),
        cpu,
        compiler,
        collector,
        machine[0],
        machine[1]);
  }

  private Map<String, Long> endOffsets() {
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      kafka
          .describeTopics(kafka.listTopics().names().get())
          .allTopicNames()
          .get()
          .forEach(
              (topic, description) ->
                  description
                      .partitions()
                      .forEach(
                          partition ->
                              latest.put(
                                  new TopicPartition(topic, partition.partition()),
                                  OffsetSpec.latest())));
      Map<String, Long> records = new TreeMap<>();
      kafka
          .listOffsets(latest)
          .all()
          .get()
          .forEach(
              (partition, offset) -> records.merge(partition.topic(), offset.offset(), Long::sum));
      return records;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot read the topics' end offsets", e.getCause());
    }
  }

  /** The port of a {@code host:port} or URL, if it names one. */
  static Optional<Integer> port(String address) {
    try {
      if (address.contains("://")) {
        String withoutScheme = address.startsWith("jdbc:") ? address.substring(5) : address;
        int port = URI.create(withoutScheme).getPort();
        return port > 0 ? Optional.of(port) : Optional.empty();
      }
      String first = address.split(",")[0];
      return Optional.of(Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    kafka.close(Duration.ofSeconds(5));
  }
}
