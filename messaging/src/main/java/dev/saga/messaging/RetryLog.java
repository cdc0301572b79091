package dev.saga.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.KafkaUtils;

/**
 * Makes every failed delivery visible: a warning per attempt and the {@code
 * saga.consumer.failed.deliveries} counter, so a partition held by a long outage (or by a bug that
 * keeps failing) shows up in logs and metrics instead of silently waiting.
 */
final class RetryLog implements RetryListener {

  private static final Logger log = LoggerFactory.getLogger(RetryLog.class);

  private final ObjectProvider<MeterRegistry> meters;

  /**
   * @param meters resolved at the first failure, not when the error handler is built: an early
   *     registry would pull its binders (and their configuration) in before the context is ready
   */
  RetryLog(ObjectProvider<MeterRegistry> meters) {
    this.meters = meters;
  }

  @Override
  public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
    Throwable cause = ex == null ? null : NestedExceptionUtils.getMostSpecificCause(ex);
    meters
        .getObject()
        .counter(
            "saga.consumer.failed.deliveries",
            "topic",
            record.topic(),
            "exception",
            cause == null ? "unknown" : cause.getClass().getSimpleName())
        .increment();
    log.warn(
        "Delivery {} of {} failed: {}",
        deliveryAttempt,
        KafkaUtils.format(record),
        cause == null ? "unknown" : cause.toString());
  }

  @Override
  public void recovered(ConsumerRecord<?, ?> record, Exception ex) {
    log.warn("Dead-lettered {}; its partition moves on", KafkaUtils.format(record));
  }
}
