package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import dev.saga.events.CancelOrder;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.ProductChanged;
import dev.saga.events.Topics;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;

@ServiceTest
class OutboxTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired Outbox outbox;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcClient jdbc;
  @Autowired ProducerFactory<?, ?> producerFactory;
  @Autowired SagaTracing tracing;
  @Autowired OutboxRelay relay;
  @Autowired DataSource dataSource;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void publishesACommittedEventAsACloudEvent() {
    OrderConfirmed confirmed = confirmed();

    EventEnvelope added = transactions.execute(status -> outbox.add(confirmed));

    ConsumerRecord<String, byte[]> record = awaitOne(Topics.ORDERS, confirmed.subject());
    assertThat(header(record, "ce_id")).isEqualTo(added.id().toString());
    assertThat(java.time.OffsetDateTime.parse(header(record, "ce_time")).toInstant())
        .isEqualTo(added.time());
    assertThat(added.type()).isEqualTo("OrderConfirmed");
    assertThat(added.source()).isEqualTo("/messaging-test");
    assertThat(added.subject()).isEqualTo(confirmed.subject());
    assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(record, "ce_type")).isEqualTo("OrderConfirmed");
    assertThat(header(record, "ce_source")).isEqualTo("/messaging-test");
    assertThat(header(record, "ce_subject")).isEqualTo(confirmed.orderId().toString());
    assertThat(header(record, "ce_dataschema")).isEqualTo("urn:saga:OrderConfirmed:v1");
    assertThat(header(record, "content-type")).isEqualTo("application/json");
    assertThat(UUID.fromString(header(record, "ce_id"))).isNotNull();
    assertThat(header(record, "ce_time")).endsWith("Z");
    assertThat(EventRecords.read(record.topic(), record.headers(), record.value()))
        .isEqualTo(confirmed);
  }

  @Test
  void publishesNothingForARolledBackTransaction() {
    UUID orderId = UUID.randomUUID();
    transactions.executeWithoutResult(
        status -> {
          outbox.add(new CancelOrder(orderId, "C-1", CancelOrder.Reason.TIMEOUT));
          status.setRollbackOnly();
        });
    OrderConfirmed later = new OrderConfirmed(orderId, "C-1", new BigDecimal("1.00"), "EUR");
    transactions.executeWithoutResult(status -> outbox.add(later));

    ConsumerRecord<String, byte[]> only = awaitOne(Topics.ORDERS, orderId.toString());

    assertThat(header(only, "ce_type")).isEqualTo("OrderConfirmed");
    assertThat(
            kafka.readAll(Topics.ORDERS).stream().filter(r -> orderId.toString().equals(r.key())))
        .hasSize(1);
  }

  @Test
  void refusesAnEventOutsideATransaction() {
    assertThatIllegalStateException()
        .isThrownBy(() -> outbox.add(confirmed()))
        .withMessageContaining("transaction");
  }

  @Test
  void isWokenByTheCommitRatherThanByItsTenSecondPoll() {
    OrderConfirmed confirmed = confirmed();
    long committed = System.nanoTime();

    transactions.executeWithoutResult(status -> outbox.add(confirmed));
    kafka.await(Topics.ORDERS, r -> confirmed.subject().equals(r.key()), 1, Duration.ofSeconds(5));

    assertThat(Duration.ofNanos(System.nanoTime() - committed)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void deletesRowsOnceTheBrokerHasThem() {
    OrderConfirmed confirmed = confirmed();

    transactions.executeWithoutResult(status -> outbox.add(confirmed));
    awaitOne(Topics.ORDERS, confirmed.subject());

    await()
        .atMost(WAIT)
        .until(
            () ->
                jdbc.sql("select count(*) from outbox where msg_key = ?")
                        .param(confirmed.subject())
                        .query(Long.class)
                        .single()
                    == 0);
  }

  /**
   * After a batch smaller than the batch size the relay sleeps until a commit wakes it, since that
   * batch emptied the outbox; only a full batch sends it round again at once. (This service's relay
   * is stopped, so the relay under test is the only publisher.)
   */
  @Test
  void goesRoundAgainAtOnceOnlyAfterAFullBatch() {
    Duration pollInterval = Duration.ofSeconds(7);
    OutboxRelay second = relay(2, pollInterval, new SimpleMeterRegistry());
    relay.stop();
    try {
      while (second.publishBatch() > 0) {
        // What earlier tests left behind.
      }
      transactions.executeWithoutResult(status -> outbox.add(confirmed()));
      assertThat(second.work()).as("one row, batches of two").isEqualTo(pollInterval);

      for (int i = 0; i < 3; i++) {
        transactions.executeWithoutResult(status -> outbox.add(confirmed()));
      }
      assertThat(second.work()).as("three rows: a full batch of two").isEqualTo(Duration.ZERO);
      assertThat(second.work()).as("the last row").isEqualTo(pollInterval);
      assertThat(jdbc.sql("select count(*) from outbox").query(Long.class).single()).isZero();
    } finally {
      relay.start();
    }
  }

  /**
   * A round that finds the lock taken (another instance's relay is publishing) goes again after 10
   * ms, doubling while the lock stays taken up to 100 ms however long that lasts (a relay that had
   * backed off to its poll interval once missed a commit's event for 10 s); a round that took the
   * lock starts over.
   */
  @Test
  void triesAgainSoonAfterFindingTheLockTaken() throws Exception {
    Duration pollInterval = Duration.ofSeconds(7);
    OutboxRelay second = relay(50, pollInterval, new SimpleMeterRegistry());
    relay.stop();
    try {
      try (Connection otherRelay = lockedByAnotherRelay()) {
        List<Duration> pauses = IntStream.range(0, 12).mapToObj(i -> second.work()).toList();

        assertThat(pauses)
            .startsWith(
                Duration.ofMillis(10),
                Duration.ofMillis(20),
                Duration.ofMillis(40),
                Duration.ofMillis(80),
                Duration.ofMillis(100))
            .endsWith(Duration.ofMillis(100), Duration.ofMillis(100));
        otherRelay.rollback();
      }
      transactions.executeWithoutResult(status -> outbox.add(confirmed()));
      assertThat(second.work()).as("published").isEqualTo(pollInterval);
      try (Connection otherRelay = lockedByAnotherRelay()) {
        assertThat(second.work()).as("taken again").isEqualTo(Duration.ofMillis(10));
        otherRelay.rollback();
      }
    } finally {
      relay.start();
    }
  }

  /**
   * A commit wakes only its own instance's relay. If another relay holds the lock just then, the
   * woken relay publishes soon after the lock is free, not after its ten-second poll.
   */
  @Test
  void publishesSoonAfterAnotherRelayLetsGoOfTheLock() throws Exception {
    OrderConfirmed confirmed = confirmed();
    long released;
    try (Connection otherRelay = lockedByAnotherRelay()) {
      transactions.executeWithoutResult(status -> outbox.add(confirmed));
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> pending(confirmed) == 1);
      otherRelay.rollback();
      released = System.nanoTime();
    }

    kafka.await(Topics.ORDERS, r -> confirmed.subject().equals(r.key()), 1, Duration.ofSeconds(9));

    assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofSeconds(3));
  }

  /** A connection whose open transaction holds the relays' lock, as a publishing relay does. */
  private Connection lockedByAnotherRelay() throws SQLException {
    Connection connection = dataSource.getConnection();
    connection.setAutoCommit(false);
    try (Statement lock = connection.createStatement()) {
      lock.execute("select pg_advisory_xact_lock(" + OutboxRelay.RELAY_LOCK + ")");
    }
    return connection;
  }

  private long pending(OrderConfirmed event) {
    return jdbc.sql("select count(*) from outbox where msg_key = ?")
        .param(event.subject())
        .query(Long.class)
        .single();
  }

  /**
   * Each key's events stay in order while the publisher changes hands and while two relays compete:
   * first the second relay alone (this service's relay stopped), then both at once.
   */
  @Test
  void keepsEachKeysOrderAcrossTwoRelays() throws Exception {
    SimpleMeterRegistry secondRelayMeters = new SimpleMeterRegistry();
    OutboxRelay second = relay(50, Duration.ofMillis(2), secondRelayMeters);
    String prefix = "order-test-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    int keys = 40;
    int versions = 24;
    relay.stop();
    second.start();
    try {
      write(prefix, keys, 1, versions / 2);
      kafka.await(Topics.CATALOG, r -> r.key().startsWith(prefix), keys * versions / 2, WAIT);
      assertThat(secondRelayMeters.counter("saga.outbox.published").count())
          .as("the second relay published while this service's relay was stopped")
          .isGreaterThanOrEqualTo(keys * versions / 2);

      relay.start();
      write(prefix, keys, versions / 2 + 1, versions);
      List<ConsumerRecord<String, byte[]>> published =
          kafka.await(Topics.CATALOG, r -> r.key().startsWith(prefix), keys * versions, WAIT);

      Map<String, List<Long>> versionsByKey = new LinkedHashMap<>();
      for (ConsumerRecord<String, byte[]> record : published) {
        ProductChanged change =
            (ProductChanged) EventRecords.read(record.topic(), record.headers(), record.value());
        versionsByKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(change.version());
      }
      List<Long> expected = IntStream.rangeClosed(1, versions).mapToObj(Long::valueOf).toList();
      assertThat(versionsByKey)
          .hasSize(keys)
          .allSatisfy((key, seen) -> assertThat(seen).isEqualTo(expected));
    } finally {
      second.stop();
      relay.start();
    }
  }

  /** Eight writers add versions {@code from..to} of {@code keys} products, one per transaction. */
  private void write(String prefix, int keys, int from, int to) throws Exception {
    try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (int writer = 0; writer < 8; writer++) {
        int first = writer * keys / 8;
        done.add(
            writers.submit(
                () -> {
                  for (int version = from; version <= to; version++) {
                    for (int key = first; key < first + keys / 8; key++) {
                      ProductChanged change = product(prefix + key, version);
                      transactions.executeWithoutResult(status -> outbox.add(change));
                    }
                  }
                }));
      }
      for (Future<?> writer : done) {
        writer.get();
      }
    }
  }

  /**
   * A relay of this service's outbox besides its own, not started, publishing batches of {@code
   * batchSize} and polling every {@code pollInterval}.
   */
  private OutboxRelay relay(int batchSize, Duration pollInterval, MeterRegistry meters) {
    MessagingProperties.Outbox settings =
        new MessagingProperties.Outbox(batchSize, pollInterval, 0, Duration.ofSeconds(5), 0);
    KafkaTemplate<String, byte[]> template =
        new KafkaTemplate<>(
            new DefaultKafkaProducerFactory<>(
                producerFactory.getConfigurationProperties(),
                new StringSerializer(),
                new ByteArraySerializer()));
    return new OutboxRelay(jdbc, transactions, template, settings, meters, tracing);
  }

  private ConsumerRecord<String, byte[]> awaitOne(String topic, String key) {
    return kafka.await(topic, r -> key.equals(r.key()), 1, WAIT).getFirst();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static OrderConfirmed confirmed() {
    return new OrderConfirmed(UUID.randomUUID(), "C-1", new BigDecimal("12.30"), "EUR");
  }

  private static ProductChanged product(String id, long version) {
    return new ProductChanged(id, "Product " + id, new BigDecimal("1.00"), "EUR", true, version);
  }
}
