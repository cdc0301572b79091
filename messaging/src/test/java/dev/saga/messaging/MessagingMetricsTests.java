package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.OrderPlaced;
import dev.saga.test.KafkaProbe;
import dev.saga.test.PrometheusText;
import dev.saga.test.ServiceTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/** The metrics of the plumbing, as Prometheus scrapes them from {@code /actuator/prometheus}. */
@ServiceTest
class MessagingMetricsTests {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> ORDERS_GROUP =
      Map.of("group", "messaging-test", "topic", "orders");

  @LocalServerPort int port;
  @Autowired OutboxRelay relay;
  @Autowired Outbox outbox;
  @Autowired TransactionTemplate transactions;
  @Autowired KafkaListenerEndpointRegistry listeners;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void countsUnpublishedOutboxRowsAndTheAgeOfTheOldest() {
    relay.stop();
    try {
      transactions.executeWithoutResult(
          status -> outbox.add(SampleEvents.orderPlaced("C-metrics")));

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                PrometheusText scrape = scrape();
                assertThat(scrape.sum("saga_outbox_pending")).isGreaterThanOrEqualTo(1);
                assertThat(scrape.sum("saga_outbox_oldest_age_seconds")).isPositive();
              });
    } finally {
      relay.start();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              PrometheusText scrape = scrape();
              assertThat(scrape.sum("saga_outbox_pending")).isZero();
              assertThat(scrape.sum("saga_outbox_oldest_age_seconds")).isZero();
              assertThat(scrape.sum("saga_outbox_publish_latency_seconds_count")).isPositive();
              assertThat(scrape.samples("saga_outbox_publish_latency_seconds_bucket", Map.of()))
                  .isNotEmpty();
            });
  }

  @Test
  void reportsTheLagOfEachGroupOnEachPartition() {
    listeners.stop();
    try {
      kafka.send(EventRecords.of(SampleEvents.orderPlaced("C-lag"), UUID.randomUUID(), "/test"));

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                PrometheusText scrape = scrape();
                assertThat(scrape.sum("saga_consumer_lag", ORDERS_GROUP)).isGreaterThanOrEqualTo(1);
                assertThat(scrape.samples("saga_consumer_lag", ORDERS_GROUP))
                    .extracting(sample -> sample.labels().get("partition"))
                    .containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
              });
    } finally {
      listeners.start();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(scrape().sum("saga_consumer_lag", ORDERS_GROUP)).isZero());
  }

  @Test
  void timesEveryAppliedEventAndCountsSkippedDuplicates() {
    double duplicatesBefore = scrape().sum("saga_consumer_duplicates_total", ORDERS_GROUP);
    OrderPlaced placed = SampleEvents.orderPlaced("C-twice-metrics");
    ProducerRecord<String, byte[]> record = EventRecords.of(placed, UUID.randomUUID(), "/test");

    kafka.send(record);
    kafka.send(record);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              PrometheusText scrape = scrape();
              assertThat(scrape.sum("saga_consumer_duplicates_total", ORDERS_GROUP))
                  .isEqualTo(duplicatesBefore + 1);
              assertThat(
                      scrape.sum(
                          "saga_consumer_processing_seconds_count",
                          Map.of(
                              "group",
                              "messaging-test",
                              "type",
                              "OrderPlaced",
                              "outcome",
                              "applied")))
                  .isPositive();
              assertThat(
                      scrape.samples(
                          "saga_consumer_processing_seconds_bucket", Map.of("type", "OrderPlaced")))
                  .isNotEmpty();
            });
  }

  @Test
  void countsRecordsSentToTheDeadLetterTopicAndWhatItHolds() {
    Map<String, String> rejected =
        Map.of("group", "messaging-test", "topic", "orders", "cause", "RejectedEventException");
    double before = scrape().sum("saga_consumer_dead_lettered_total", rejected);

    kafka.send(EventRecords.of(SampleEvents.orderPlaced("rejected"), UUID.randomUUID(), "/test"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              PrometheusText scrape = scrape();
              assertThat(scrape.sum("saga_consumer_dead_lettered_total", rejected))
                  .isEqualTo(before + 1);
              assertThat(scrape.sum("saga_deadletter_records", Map.of("topic", "orders.DLT")))
                  .isGreaterThanOrEqualTo(1);
            });
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(
        RestClient.create("http://localhost:" + port)
            .get()
            .uri("/actuator/prometheus")
            .retrieve()
            .body(String.class));
  }
}
