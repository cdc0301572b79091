package dev.saga.messaging;

import dev.saga.events.Topics;
import dev.saga.messaging.CloudEventRecords.OutboxEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows to Kafka in commit order and deletes them once the broker has acknowledged
 * them.
 *
 * <p>One relay at a time publishes a service's outbox: each batch runs in a transaction that first
 * takes a transaction-scoped advisory lock, so a second instance of the service waits as a hot
 * standby and takes over the moment the first one's transaction ends, and rows of one key are never
 * published by two relays out of order. Rows are read in id order; the per-aggregate row lock that
 * every state change takes makes id order the commit order for one key. The batch is sent
 * asynchronously with the idempotent producer ({@code acks=all}), all acknowledgements are awaited,
 * then the rows are deleted in the same transaction. A crash between the acknowledgement and the
 * commit publishes the batch again: delivery is at least once, consumers deduplicate.
 *
 * <p>Each event is published in the trace it was added in: a {@code <topic> send} span whose parent
 * is the context stored with the row, so the consumers' spans continue the trace of the request or
 * event that caused it, across the outbox.
 *
 * <p>The relay sleeps until a transaction that added an event commits ({@link #wakeUp()}), or for
 * the poll interval, whichever comes first; while batches come back full it loops without sleeping.
 * A commit wakes only its own instance's relay, so a relay that finds the lock taken tries again
 * after 10 ms, doubling to at most 100 ms while the lock stays taken, rather than after the poll
 * interval: the other relay's snapshot may have missed the rows that woke it. The poll interval (1
 * s) is only the fallback for rows whose own relay is gone (an instance that crashed after its
 * commit). It stops last, after the listeners and the web server, and keeps publishing what is left
 * for a short drain period; rows it cannot publish in that time stay in the table for the next
 * start or another instance.
 */
public class OutboxRelay extends WakeableWorker {

  /** Key of the advisory lock that makes one relay per database the publisher. */
  static final long RELAY_LOCK = 0x5A6A_0A7B_0000_0001L;

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int NOT_THE_PUBLISHER = -1;

  /** The first pause after finding the lock taken; doubled while it stays taken. */
  private static final Duration LOCK_RETRY = Duration.ofMillis(10);

  /**
   * The longest pause while the lock stays taken, whatever the poll interval: a relay that lost the
   * lock many times in a row (to a relay publishing a long batch) still takes it soon after.
   */
  private static final Duration LOCK_RETRY_MAX = Duration.ofMillis(100);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final KafkaTemplate<String, byte[]> kafka;
  private final SagaTracing tracing;
  private final int batchSize;
  private final Duration pollInterval;
  private final Duration lockRetryMax;
  private final Duration shutdownDrain;
  private final Runnable afterAcknowledged;
  private final Timer publishLatency;
  private final Counter published;

  /** Rounds in a row that found the lock taken; read and written only by the worker's thread. */
  private int lockedOut;

  OutboxRelay(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      KafkaTemplate<String, byte[]> kafka,
      MessagingProperties.Outbox settings,
      MeterRegistry meters,
      SagaTracing tracing) {
    this(jdbc, transactions, kafka, settings, meters, tracing, () -> {});
  }

  /**
   * @param afterAcknowledged runs after a batch was acknowledged and before its rows are deleted:
   *     where a test's failpoint crashes the relay
   */
  OutboxRelay(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      KafkaTemplate<String, byte[]> kafka,
      MessagingProperties.Outbox settings,
      MeterRegistry meters,
      SagaTracing tracing,
      Runnable afterAcknowledged) {
    // A batch still waiting for its acknowledgements when the drain ends is abandoned: its rows
    // stay for later.
    super("Outbox relay", "outbox-relay", settings.shutdownDrain().plusSeconds(2));
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.kafka = kafka;
    this.tracing = tracing;
    this.batchSize = settings.batchSize();
    this.pollInterval = settings.pollInterval();
    this.lockRetryMax = LOCK_RETRY_MAX.compareTo(pollInterval) < 0 ? LOCK_RETRY_MAX : pollInterval;
    this.shutdownDrain = settings.shutdownDrain();
    this.afterAcknowledged = afterAcknowledged;
    this.publishLatency =
        Timer.builder("saga.outbox.publish.latency")
            .description(
                "Time from an event's insertion into the outbox to the broker's acknowledgement")
            .publishPercentileHistogram()
            .register(meters);
    this.published =
        Counter.builder("saga.outbox.published")
            .description("Events published from the outbox")
            .register(meters);
  }

  /**
   * Goes again at once only after a full batch, which may have left rows behind. A smaller batch
   * took every row its snapshot saw, and each transaction that committed a row after that snapshot
   * woke the relay after its commit, so the relay sleeps until then: a round that would find the
   * outbox empty costs a transaction, and one followed almost every batch before (3.5 of 17.6
   * transactions per order in the saga, BENCHMARKS.md, fourth round). A round that found the lock
   * taken goes again after {@link #LOCK_RETRY}, doubled for each such round in a row, at most
   * {@link #LOCK_RETRY_MAX} (or the poll interval, if shorter).
   */
  @Override
  protected Duration work() {
    int count = publishBatch();
    if (count == NOT_THE_PUBLISHER) {
      Duration retry = LOCK_RETRY.multipliedBy(1L << Math.min(lockedOut++, 4));
      return retry.compareTo(lockRetryMax) < 0 ? retry : lockRetryMax;
    }
    lockedOut = 0;
    return count >= batchSize ? Duration.ZERO : pollInterval;
  }

  /**
   * Publishes what is left, for at most the drain period, once the relay was asked to stop. Only a
   * healthy relay drains: with the database or the broker away, the rows simply wait.
   */
  @Override
  protected void drain() {
    long deadline = System.nanoTime() + shutdownDrain.toNanos();
    try {
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        if (publishBatch(Duration.ofNanos(left)) <= 0) {
          return;
        }
      }
      log.info("Outbox relay stopped with rows left; they are published on the next start");
    } catch (RuntimeException e) {
      log.info(
          "Outbox relay stopped with rows left; they are published on the next start: {}",
          e.toString());
    }
  }

  /**
   * Publishes one batch of the oldest rows.
   *
   * @return the number of rows published, or {@link #NOT_THE_PUBLISHER} if another relay holds the
   *     lock
   */
  int publishBatch() {
    return publishBatch(null);
  }

  /**
   * @param maxWait longest wait for the batch's acknowledgements, or {@code null} for as long as
   *     the producer's delivery timeout
   */
  private int publishBatch(Duration maxWait) {
    Integer count =
        transactions.execute(
            status -> {
              if (!jdbc.sql("select pg_try_advisory_xact_lock(?)")
                  .param(RELAY_LOCK)
                  .query(Boolean.class)
                  .single()) {
                return NOT_THE_PUBLISHER;
              }
              List<OutboxEntry> batch = nextBatch();
              if (batch.isEmpty()) {
                return 0;
              }
              send(batch, maxWait);
              afterAcknowledged.run();
              Long[] ids = batch.stream().map(OutboxEntry::id).toArray(Long[]::new);
              jdbc.sql("delete from outbox where id = any(?)").param(ids).update();
              return batch.size();
            });
    return count == null ? 0 : count;
  }

  private List<OutboxEntry> nextBatch() {
    return jdbc.sql(
            """
            select id, event_id, topic, msg_key, event_type, data_schema, source, payload, trace_parent, created_at
            from outbox order by id limit ?
            """)
        .param(batchSize)
        .query(
            (rs, row) ->
                new OutboxEntry(
                    rs.getLong("id"),
                    rs.getObject("event_id", UUID.class),
                    rs.getString("topic"),
                    rs.getString("msg_key"),
                    rs.getString("event_type"),
                    rs.getString("data_schema"),
                    rs.getString("source"),
                    rs.getBytes("payload"),
                    rs.getString("trace_parent"),
                    rs.getObject("created_at", OffsetDateTime.class)))
        .list();
  }

  private void send(List<OutboxEntry> batch, Duration maxWait) {
    List<CompletableFuture<SendResult<String, byte[]>>> acks = new ArrayList<>(batch.size());
    for (OutboxEntry entry : batch) {
      acks.add(publish(entry));
    }
    try {
      CompletableFuture<Void> all = CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
      if (maxWait == null) {
        all.get();
      } else {
        all.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("The broker did not acknowledge an outbox batch in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while publishing the outbox", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "The broker did not acknowledge an outbox batch", e.getCause());
    }
    OffsetDateTime now = OffsetDateTime.now();
    for (OutboxEntry entry : batch) {
      publishLatency.record(Duration.between(entry.createdAt(), now));
    }
    published.increment(batch.size());
  }

  /** Sends one row's record in a span that continues the trace stored with the row. */
  private CompletableFuture<SendResult<String, byte[]>> publish(OutboxEntry entry) {
    SagaTracing.TracedWork span =
        tracing
            .continueTrace(entry.topic() + " send", entry.traceParent(), Span.Kind.PRODUCER)
            .tag("messaging.system", "kafka")
            .tag("messaging.operation", "send")
            .tag("messaging.destination.name", entry.topic())
            .tag("messaging.kafka.message.key", entry.key())
            .tag("messaging.message.id", entry.eventId().toString())
            .tag("cloudevents.event_type", entry.eventType());
    if (!Topics.CATALOG.equals(entry.topic())) {
      span.tag(SagaTracing.ORDER_ID_TAG, entry.key());
    }
    ProducerRecord<String, byte[]> record = CloudEventRecords.toRecord(entry);
    String published = tracing.traceParent(span);
    if (published != null) {
      CloudEventRecords.setTraceParent(record.headers(), published);
    }
    try {
      return kafka
          .send(record)
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  span.error(failure);
                }
                span.close();
              });
    } catch (RuntimeException e) {
      span.error(e);
      span.close();
      throw e;
    }
  }

  /**
   * Starts before and stops after the listener containers and the web server that fill the outbox.
   */
  @Override
  public int getPhase() {
    return 0;
  }
}
