package dev.saga.order.web;

import dev.saga.order.OrderProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Forgets {@code Idempotency-Key}s older than {@code saga.order.idempotency-retention}, hourly. */
@Component
class IdempotencyKeyCleanup implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyCleanup.class);
  private static final Duration PERIOD = Duration.ofHours(1);

  private final IdempotencyKeys keys;
  private final Duration retention;

  IdempotencyKeyCleanup(IdempotencyKeys keys, OrderProperties settings) {
    this.keys = keys;
    this.retention = settings.idempotencyRetention();
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(this::deleteExpiredKeys, PERIOD);
  }

  void deleteExpiredKeys() {
    try {
      int deleted = keys.deleteOlderThan(retention);
      log.debug("Forgot {} idempotency keys older than {}", deleted, retention);
    } catch (RuntimeException e) {
      log.warn("Could not forget old idempotency keys", e);
    }
  }
}
