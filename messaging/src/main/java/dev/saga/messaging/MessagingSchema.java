package dev.saga.messaging;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.InitializingBean;

/**
 * Creates and evolves the plumbing's own tables (outbox, processed events) with Flyway, under a
 * history table of their own, so the plumbing's migrations never interleave with a service's.
 */
class MessagingSchema implements InitializingBean {

  private final DataSource dataSource;

  MessagingSchema(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void afterPropertiesSet() {
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
