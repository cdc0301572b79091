package dev.saga.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Real servers in this JVM without Docker: a KRaft broker from Apache Kafka's own test kit and a
 * PostgreSQL server from zonky's embedded binaries (a child process).
 */
final class EmbeddedInfrastructure implements Infrastructure {

  private final EmbeddedKafkaKraftBroker kafka;
  private final EmbeddedPostgres postgres;
  private final SharedInfrastructure.Databases databases;

  EmbeddedInfrastructure() {
    kafka = new EmbeddedKafkaKraftBroker(1, 1);
    kafka.brokerProperties(
        Map.of(
            "auto.create.topics.enable", "false",
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "3"));
    kafka.afterPropertiesSet();
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setServerConfig("max_connections", "300")
              .setServerConfig("fsync", "on")
              .start();
    } catch (IOException e) {
      kafka.destroy();
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
    }
    databases =
        new SharedInfrastructure.Databases(
            postgres.getJdbcUrl("postgres", "postgres"), username(), password());
  }

  @Override
  public InfrastructureKind kind() {
    return InfrastructureKind.EMBEDDED;
  }

  @Override
  public String kafkaBootstrapServers() {
    return kafka.getBrokersAsString();
  }

  @Override
  public String jdbcUrl(String database) {
    databases.ensure(database);
    return postgres.getJdbcUrl("postgres", database);
  }

  @Override
  public String username() {
    return "postgres";
  }

  @Override
  public String password() {
    return "postgres";
  }

  @Override
  public void close() {
    kafka.destroy();
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
