package dev.saga.messaging;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.core.NestedExceptionUtils;

/**
 * The reason a record was dead-lettered, in two headers an operator can read at a glance, next to
 * Spring Kafka's own {@code kafka_dlt-*} headers (which name the listener's wrapping exceptions).
 */
final class DeadLetterHeaders {

  /** Class of the exception that made the record fail. */
  static final String CAUSE = "saga_dlt-cause";

  /** Message of the exception that made the record fail. */
  static final String REASON = "saga_dlt-reason";

  private DeadLetterHeaders() {}

  static Headers of(ConsumerRecord<?, ?> record, Exception exception) {
    Throwable cause = NestedExceptionUtils.getMostSpecificCause(exception);
    Headers headers = new RecordHeaders();
    headers.add(CAUSE, cause.getClass().getName().getBytes(StandardCharsets.UTF_8));
    headers.add(REASON, String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8));
    return headers;
  }
}
