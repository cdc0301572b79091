package dev.saga.messaging;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.InitializingBean;

/**
 * Creates and evolves the plumbing's own tables (outbox, processed events) with Flyway, under a
 * history table of their own, so the plumbing's migrations never interleave with a service's. They
 * migrate when the service's own do: with {@code spring.flyway.enabled=false} neither touches the
 * database, as in the image's AOT cache training run, which has none (Dockerfile).
 */
class MessagingSchema implements InitializingBean {

  private final DataSource dataSource;
  private final boolean migrate;

  MessagingSchema(DataSource dataSource, boolean migrate) {
    this.dataSource = dataSource;
    this.migrate = migrate;
  }

  @Override
  public void afterPropertiesSet() {
    if (!migrate) {
      return;
    }
    Flyway.configure()
        .dataSource(dataSource)
        .table("messaging_schema_history")
        .locations("classpath:dev/saga/messaging/db")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
