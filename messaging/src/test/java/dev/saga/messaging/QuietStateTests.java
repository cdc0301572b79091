package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** {@code /actuator/health/quiet} says when nothing is left to publish or consume. */
@ServiceTest
class QuietStateTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired OutboxRelay relay;
  @Autowired Outbox outbox;
  @Autowired TransactionTemplate transactions;
  @Autowired KafkaListenerEndpointRegistry listeners;

  @Test
  void isBusyWhileTheOutboxHoldsAnEvent() {
    awaitQuiet();
    relay.stop();
    try {
      transactions.executeWithoutResult(status -> outbox.add(SampleEvents.orderPlaced("C-quiet")));

      Quiet quiet = quiet();

      assertThat(quiet.status()).isEqualTo(503);
      assertThat(quiet.body().at("/components/outbox/status").asString()).isEqualTo("BUSY");
      assertThat(quiet.body().at("/components/outbox/details/pending").asLong()).isEqualTo(1);
    } finally {
      relay.start();
    }
    awaitQuiet();
  }

  @Test
  void isBusyWhileAListenerHasRecordsToConsume() {
    awaitQuiet();
    listeners.stop();
    try (KafkaProbe kafka = KafkaProbe.onSharedBroker()) {
      kafka.send(EventRecords.of(SampleEvents.orderPlaced("C-lag"), UUID.randomUUID(), "/test"));

      Quiet quiet = quiet();

      assertThat(quiet.status()).isEqualTo(503);
      assertThat(quiet.body().at("/components/consumerLag/status").asString()).isEqualTo("BUSY");
      assertThat(quiet.body().at("/components/consumerLag/details/lag").asLong()).isEqualTo(1);
    } finally {
      listeners.start();
    }
    awaitQuiet();
  }

  private void awaitQuiet() {
    await().atMost(WAIT).until(() -> quiet().status() == 200);
    assertThat(quiet().body().at("/status").asString()).isEqualTo("UP");
  }

  private Quiet quiet() {
    return RestClient.create("http://localhost:" + port)
        .get()
        .uri("/actuator/health/quiet")
        .exchange(
            (request, response) ->
                new Quiet(response.getStatusCode().value(), response.bodyTo(JsonNode.class)));
  }

  record Quiet(int status, JsonNode body) {}
}
