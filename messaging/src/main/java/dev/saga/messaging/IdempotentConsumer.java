package dev.saga.messaging;

import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * Makes every {@code @KafkaListener} and {@code @KafkaHandler} method an idempotent consumer: the
 * method runs in one database transaction that first inserts (consumer group, {@code ce_id}) into
 * the dedup table; when that row exists already, the event was applied before and the method is not
 * called. An event under a record key other than its subject is refused (dead-lettered). The
 * listener container commits the offset only after the method returns, so after the transaction
 * committed.
 *
 * <p>A listener's default handler ({@code @KafkaHandler(isDefault = true)}) is where the events of
 * its topics that it does not act on arrive. It runs without a transaction and leaves no dedup row:
 * there is nothing to apply, nor to apply twice (payment ignores {@code OrderPlaced} and {@code
 * OrderConfirmed}, notification {@code OrderPlaced}: three commits per order saved, see
 * BENCHMARKS.md). So a default handler must touch nothing; {@code
 * DomainRules.defaultKafkaHandlersTouchNothing} checks it in every service.
 *
 * <p>As a {@link RecordInterceptor} it remembers which record the container is delivering on this
 * thread (read by {@link ConsumedEvents}), puts the record's order id into the logging context and
 * onto the listener's span; as a {@link MethodInterceptor} around the listener method it uses that
 * record's id, and measures how long applying it took and how many duplicates were skipped. It also
 * tells the {@link ListenerDelay} which record each container thread is applying.
 */
final class IdempotentConsumer implements MethodInterceptor, RecordInterceptor<Object, Object> {

  private static final ThreadLocal<ConsumerRecord<?, ?>> DELIVERING = new ThreadLocal<>();
  private static final ThreadLocal<Boolean> SKIPPED_DUPLICATE = new ThreadLocal<>();

  /** MDC key of the product a catalog record is about. */
  static final String PRODUCT_ID = "productId";

  // Looked up at the first record, not at creation (an advisor's interceptor is created before
  // the context is ready), and then remembered.
  private final Supplier<TransactionTemplate> transactions;
  private final Supplier<ProcessedEvents> processedEvents;
  private final Supplier<MeterRegistry> meters;
  private final Supplier<Tracer> tracer;
  private final ListenerDelay delay;
  private final Map<Method, Boolean> defaultHandlers = new ConcurrentHashMap<>();

  IdempotentConsumer(
      ObjectProvider<PlatformTransactionManager> transactionManager,
      ObjectProvider<ProcessedEvents> processedEvents,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<Tracer> tracer,
      ListenerDelay delay) {
    this.transactions =
        SingletonSupplier.of(() -> new TransactionTemplate(transactionManager.getObject()));
    this.processedEvents = ResolvedOnce.required(processedEvents);
    this.meters = ResolvedOnce.required(meters);
    this.tracer = ResolvedOnce.optional(tracer);
    this.delay = delay;
  }

  /** The record the listener container is delivering on this thread, or {@code null}. */
  static ConsumerRecord<?, ?> delivering() {
    return DELIVERING.get();
  }

  @Override
  public ConsumerRecord<Object, Object> intercept(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    DELIVERING.set(record);
    if (consumer != null) {
      // A listener container, not an operator's replay of a dead letter.
      delay.started(record.timestamp());
    }
    String subject = header(record, "ce_subject");
    if (subject != null) {
      boolean product = Topics.CATALOG.equals(record.topic());
      MDC.put(product ? PRODUCT_ID : SagaTracing.ORDER_ID, subject);
      Tracer current = tracer.get();
      Span span = current == null ? null : current.currentSpan();
      if (span != null) {
        span.tag(product ? "saga.product.id" : SagaTracing.ORDER_ID_TAG, subject);
        tagIfPresent(span, "cloudevents.event_id", header(record, "ce_id"));
        tagIfPresent(span, "cloudevents.event_type", header(record, "ce_type"));
        tagIfPresent(span, "cloudevents.event_source", header(record, "ce_source"));
      }
    }
    return record;
  }

  @Override
  public void afterRecord(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    DELIVERING.remove();
    delay.finished();
    MDC.remove(SagaTracing.ORDER_ID);
    MDC.remove(PRODUCT_ID);
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
    String type = String.valueOf(header(record, "ce_type"));
    long started = System.nanoTime();
    String outcome = "failed";
    try {
      if (isDefaultHandler(invocation.getMethod())) {
        Object result = invocation.proceed();
        outcome = "ignored";
        return result;
      }
      Object result =
          transactions
              .get()
              .execute(
                  status -> {
                    if (!processedEvents.get().markFirstDelivery(consumer, eventId)) {
                      SKIPPED_DUPLICATE.set(true);
                      return Duplicate.INSTANCE;
                    }
                    try {
                      return invocation.proceed();
                    } catch (RuntimeException | Error e) {
                      throw e;
                    } catch (Throwable e) {
                      throw new CheckedListenerException(e);
                    }
                  });
      if (result == Duplicate.INSTANCE) {
        outcome = "duplicate";
        duplicates(consumer, record.topic(), type).increment();
        return null;
      }
      outcome = "applied";
      return result;
    } catch (CheckedListenerException e) {
      throw e.getCause();
    } finally {
      processing(consumer, record.topic(), type, outcome)
          .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private boolean isDefaultHandler(Method method) {
    return defaultHandlers.computeIfAbsent(
        method,
        m -> {
          KafkaHandler handler = AnnotatedElementUtils.findMergedAnnotation(m, KafkaHandler.class);
          return handler != null && handler.isDefault();
        });
  }

  private Timer processing(String group, String topic, String type, String outcome) {
    return Timer.builder("saga.consumer.processing")
        .description(
            "Time to apply one consumed event: the dedup insert, the listener and the commit"
                + " (outcome applied, duplicate, ignored or failed)")
        .tag("group", group)
        .tag("topic", topic)
        .tag("type", type)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(meters.get());
  }

  private Counter duplicates(String group, String topic, String type) {
    return Counter.builder("saga.consumer.duplicates")
        .description("Events skipped because the consumer group had applied them before")
        .tag("group", group)
        .tag("topic", topic)
        .tag("type", type)
        .register(meters.get());
  }

  private static void tagIfPresent(Span span, String key, String value) {
    if (value != null) {
      span.tag(key, value);
    }
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** What the transaction returns for an event applied before. */
  private enum Duplicate {
    INSTANCE
  }

  private static final class CheckedListenerException extends RuntimeException {
    CheckedListenerException(Throwable cause) {
      super(cause);
    }
  }
}
