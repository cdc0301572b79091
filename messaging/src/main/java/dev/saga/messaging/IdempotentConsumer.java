package dev.saga.messaging;

import dev.saga.events.SagaEvent;
import java.util.UUID;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes every {@code @KafkaListener} and {@code @KafkaHandler} method an idempotent consumer: the
 * method runs in one database transaction that first inserts (consumer group, {@code ce_id}) into
 * the dedup table; when that row exists already, the event was applied before and the method is not
 * called. An event under a record key other than its subject is refused (dead-lettered). The
 * listener container commits the offset only after the method returns, so after the transaction
 * committed.
 *
 * <p>As a {@link RecordInterceptor} it remembers which record the container is delivering on this
 * thread; as a {@link MethodInterceptor} around the listener method it uses that record's id.
 */
final class IdempotentConsumer implements MethodInterceptor, RecordInterceptor<Object, Object> {

  private static final ThreadLocal<ConsumerRecord<?, ?>> DELIVERING = new ThreadLocal<>();
  private static final ThreadLocal<Boolean> SKIPPED_DUPLICATE = new ThreadLocal<>();

  private final ObjectProvider<PlatformTransactionManager> transactionManager;
  private final ObjectProvider<ProcessedEvents> processedEvents;
  private volatile TransactionTemplate transactions;

  IdempotentConsumer(
      ObjectProvider<PlatformTransactionManager> transactionManager,
      ObjectProvider<ProcessedEvents> processedEvents) {
    this.transactionManager = transactionManager;
    this.processedEvents = processedEvents;
  }

  @Override
  public ConsumerRecord<Object, Object> intercept(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    DELIVERING.set(record);
    return record;
  }

  @Override
  public void afterRecord(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    DELIVERING.remove();
  }

  /**
   * Whether the last listener method this thread ran was skipped because its event had been applied
   * before; for replays, which report what they did.
   */
  static boolean skippedDuplicate() {
    return Boolean.TRUE.equals(SKIPPED_DUPLICATE.get());
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    SKIPPED_DUPLICATE.remove();
    ConsumerRecord<?, ?> record = DELIVERING.get();
    String consumer = KafkaUtils.getConsumerGroupId();
    if (record == null || consumer == null) {
      // Not called by a listener container (a test calling the adapter directly, say).
      return invocation.proceed();
    }
    UUID eventId = CloudEventRecords.eventId(record.headers());
    if (eventId == null) {
      throw new InvalidEventException("Record without ce_id: " + KafkaUtils.format(record));
    }
    if (record.value() instanceof SagaEvent event && !event.subject().equals(record.key())) {
      // One aggregate's events keep their order only on the partition of its key.
      throw new InvalidEventException(
          "Record key " + record.key() + " is not the subject of its event: " + event.subject());
    }
    try {
      return transactions()
          .execute(
              status -> {
                if (!processedEvents.getObject().markFirstDelivery(consumer, eventId)) {
                  SKIPPED_DUPLICATE.set(true);
                  return null;
                }
                try {
                  return invocation.proceed();
                } catch (RuntimeException | Error e) {
                  throw e;
                } catch (Throwable e) {
                  throw new CheckedListenerException(e);
                }
              });
    } catch (CheckedListenerException e) {
      throw e.getCause();
    }
  }

  private TransactionTemplate transactions() {
    if (transactions == null) {
      transactions = new TransactionTemplate(transactionManager.getObject());
    }
    return transactions;
  }

  private static final class CheckedListenerException extends RuntimeException {
    CheckedListenerException(Throwable cause) {
      super(cause);
    }
  }
}
