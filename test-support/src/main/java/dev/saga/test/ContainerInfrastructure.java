package dev.saga.test;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The same servers from Docker images, where a Docker engine is available. */
final class ContainerInfrastructure implements Infrastructure {

  static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
  static final String POSTGRES_IMAGE = "postgres:17";

  private final KafkaContainer kafka;
  private final PostgreSQLContainer postgres;
  private final SharedInfrastructure.Databases databases;

  ContainerInfrastructure() {
    kafka =
        new KafkaContainer(KAFKA_IMAGE)
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    postgres =
        new PostgreSQLContainer(POSTGRES_IMAGE)
            .withCommand("postgres", "-c", "max_connections=300");
    kafka.start();
    postgres.start();
    databases = new SharedInfrastructure.Databases(postgres.getJdbcUrl(), username(), password());
  }

  @Override
  public InfrastructureKind kind() {
    return InfrastructureKind.TESTCONTAINERS;
  }

  @Override
  public String kafkaBootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  public String jdbcUrl(String database) {
    databases.ensure(database);
    return "jdbc:postgresql://"
        + postgres.getHost()
        + ":"
        + postgres.getFirstMappedPort()
        + "/"
        + database;
  }

  @Override
  public String username() {
    return postgres.getUsername();
  }

  @Override
  public String password() {
    return postgres.getPassword();
  }

  @Override
  public void close() {
    kafka.stop();
    postgres.stop();
  }
}
