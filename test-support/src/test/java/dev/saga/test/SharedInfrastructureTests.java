package dev.saga.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The selected infrastructure is real: a broker that stores records and a server that runs SQL. */
class SharedInfrastructureTests {

  private final Infrastructure infrastructure = Infrastructure.shared();

  @Test
  void theSelectedKindIsTheOneStarted() {
    assertThat(infrastructure.kind()).isEqualTo(InfrastructureKind.fromEnvironment());
  }

  @Test
  void kafkaStoresAndServesRecords() throws Exception {
    String topic = "probe-" + UUID.randomUUID();
    try (AdminClient admin =
        AdminClient.create(
            java.util.Map.of("bootstrap.servers", infrastructure.kafkaBootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    try (KafkaProbe probe = KafkaProbe.onSharedBroker()) {
      probe.send(new ProducerRecord<>(topic, "k", "hello".getBytes(StandardCharsets.UTF_8)));

      List<ConsumerRecord<String, byte[]>> records =
          probe.await(topic, record -> "k".equals(record.key()), 1, Duration.ofSeconds(10));

      assertThat(new String(records.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void brokerDoesNotCreateTopicsOnDemand() {
    try (KafkaProbe probe = KafkaProbe.onSharedBroker()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  probe.send(
                      new ProducerRecord<>("never-created-" + UUID.randomUUID(), "k", new byte[0])))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void eachServiceGetsItsOwnPostgresDatabase() throws Exception {
    try (Connection connection =
            DriverManager.getConnection(
                infrastructure.jdbcUrl("probe_service"),
                infrastructure.username(),
                infrastructure.password());
        ResultSet result =
            connection.createStatement().executeQuery("select current_database(), version()")) {
      result.next();
      assertThat(result.getString(1)).isEqualTo("probe_service");
      assertThat(result.getString(2)).startsWith("PostgreSQL");
    }
  }
}
