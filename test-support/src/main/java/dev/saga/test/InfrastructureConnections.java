package dev.saga.test;

import java.util.List;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Connects a Spring Boot test to this JVM's {@link Infrastructure} through Boot's own seam, the
 * connection details: Kafka, the service's database (named after {@code spring.application.name})
 * and, for a service that sends mail, the in-JVM SMTP server. A test never names a host or port.
 * The spans the service ends are kept in memory ({@link RecordedSpans}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class InfrastructureConnections {

  /** Keeps the servers up until this context has closed (its listeners and relay stopped). */
  @Bean
  AutoCloseable infrastructureLease() {
    return SharedInfrastructure.lease();
  }

  @Bean
  KafkaConnectionDetails kafkaConnectionDetails() {
    return () -> List.of(Infrastructure.shared().kafkaBootstrapServers());
  }

  @Bean
  JdbcConnectionDetails jdbcConnectionDetails(Environment environment) {
    String database = environment.getRequiredProperty("spring.application.name").replace('-', '_');
    Infrastructure infrastructure = Infrastructure.shared();
    String url = infrastructure.jdbcUrl(database);
    return new JdbcConnectionDetails() {
      @Override
      public String getUsername() {
        return infrastructure.username();
      }

      @Override
      public String getPassword() {
        return infrastructure.password();
      }

      @Override
      public String getJdbcUrl() {
        return url;
      }
    };
  }

  /** Every span the service ends, exported within a fraction of a second. */
  @Bean
  RecordedSpans recordedSpans() {
    return new RecordedSpans();
  }

  @Bean
  DynamicPropertyRegistrar quickSpanExport() {
    return registry ->
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "100ms");
  }

  /** Read only by a service that sends mail, so only such a service starts the SMTP server. */
  @Bean
  DynamicPropertyRegistrar mailServer() {
    return registry -> {
      registry.add("spring.mail.host", () -> "127.0.0.1");
      registry.add("spring.mail.port", () -> TestMail.server().getSmtp().getPort());
    };
  }
}
