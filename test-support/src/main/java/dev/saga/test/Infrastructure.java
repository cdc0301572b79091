package dev.saga.test;

/** The real servers a test JVM shares: one Kafka broker and one PostgreSQL server. */
public interface Infrastructure extends AutoCloseable {

  InfrastructureKind kind();

  String kafkaBootstrapServers();

  /** The JDBC URL of {@code database}, created on first use. */
  String jdbcUrl(String database);

  String username();

  String password();

  @Override
  void close();

  /** The infrastructure of this JVM, started on first use and stopped when the JVM exits. */
  static Infrastructure shared() {
    return SharedInfrastructure.get();
  }
}
