package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.OrderPlaced;
import dev.saga.events.Topics;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ServiceTest
class DeadLettersTests {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOKEN = "test-admin-token";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void listsARejectedEventWithItsCauseAndReplaysItOnceAfterTheCauseIsFixed() {
    String customer = "fixable-" + UUID.randomUUID();
    OrderPlaced placed = SampleEvents.orderPlaced(customer);
    UUID eventId = UUID.randomUUID();
    kafka.send(EventRecords.of(placed, eventId, "/test"));

    JsonNode dead = awaitDeadLetter(eventId);
    assertThat(dead.get("consumerGroup").asString()).isEqualTo("messaging-test");
    assertThat(dead.get("originalTopic").asString()).isEqualTo(Topics.ORDERS);
    assertThat(dead.get("eventType").asString()).isEqualTo("OrderPlaced");
    assertThat(dead.get("cause").asString()).isEqualTo(RejectedEventException.class.getName());
    assertThat(dead.get("reason").asString()).endsWith("cannot be placed here");
    assertThat(dead.get("key").asString()).isEqualTo(placed.subject());
    assertThat(dead.get("lastReplay").isNull()).isTrue();
    String path = recordPath(dead);

    JsonNode stillRejected = post(path);
    assertThat(stillRejected.get("outcome").asString()).isEqualTo("FAILED");
    assertThat(stillRejected.get("detail").asString()).contains("cannot be placed here");
    assertThat(effects(placed.orderId())).isZero();

    RecordingListener.fix(customer);
    JsonNode applied = post(path);
    JsonNode again = post(path);

    assertThat(applied.get("outcome").asString()).isEqualTo("APPLIED");
    assertThat(again.get("outcome").asString()).isEqualTo("DUPLICATE");
    assertThat(effects(placed.orderId())).isEqualTo(1);
    kafka.await(Topics.INVENTORY, r -> placed.subject().equals(r.key()), 1, WAIT);
    assertThat(get(path).get("lastReplay").get("outcome").asString()).isEqualTo("DUPLICATE");
    assertThat(replays(eventId)).containsExactly("FAILED", "APPLIED", "DUPLICATE");
  }

  @Test
  void replayingEverythingSkipsWhatAReplayAppliedAndKeepsUnreadableRecordsDeadLettered() {
    String customer = "fixable-" + UUID.randomUUID();
    OrderPlaced placed = SampleEvents.orderPlaced(customer);
    UUID eventId = UUID.randomUUID();
    kafka.send(EventRecords.of(placed, eventId, "/test"));
    UUID poisonId = UUID.randomUUID();
    ProducerRecord<String, byte[]> poison =
        EventRecords.of(SampleEvents.orderPlaced("C-poison"), poisonId, "/test");
    kafka.send(
        new ProducerRecord<>(
            Topics.ORDERS,
            null,
            poison.key(),
            "{\"orderId\": ".getBytes(StandardCharsets.UTF_8),
            poison.headers()));
    awaitDeadLetter(eventId);
    awaitDeadLetter(poisonId);
    RecordingListener.fix(customer);

    JsonNode first = post("/actuator/deadletters");
    JsonNode second = post("/actuator/deadletters");

    assertThat(outcomeOf(first, eventId)).isEqualTo("APPLIED");
    assertThat(outcomeOf(first, poisonId)).isEqualTo("FAILED");
    assertThat(outcomeOf(second, eventId)).as("applied before: not replayed again").isNull();
    assertThat(outcomeOf(second, poisonId)).isEqualTo("FAILED");
    assertThat(effects(placed.orderId())).isEqualTo(1);
    assertThat(replays(poisonId)).containsExactly("FAILED", "FAILED");
  }

  @Test
  void answersOnlyRequestsWithTheAdminToken() throws Exception {
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(url("/actuator/deadletters")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrongToken =
        http.send(
            HttpRequest.newBuilder(url("/actuator/deadletters"))
                .header("Authorization", "Bearer not-" + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(url("/actuator/health/liveness")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    assertThat(anonymous.headers().firstValue("Content-Type"))
        .hasValue("application/problem+json;charset=UTF-8");
    assertThat(wrongToken.statusCode()).isEqualTo(401);
    assertThat(health.statusCode()).as("other endpoints need no token").isEqualTo(200);
  }

  @Test
  void answersNotFoundForARecordItDidNotDeadLetter() throws Exception {
    HttpResponse<String> response =
        http.send(
            authorized("/actuator/deadletters/" + Topics.deadLetter(Topics.ORDERS) + "/0/999999")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
  }

  private JsonNode awaitDeadLetter(UUID eventId) {
    List<JsonNode> found = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              found.clear();
              get("/actuator/deadletters")
                  .get("records")
                  .forEach(
                      record -> {
                        if (eventId.toString().equals(record.path("eventId").asString(""))) {
                          found.add(record);
                        }
                      });
              return found.size() == 1;
            });
    return found.getFirst();
  }

  private static String recordPath(JsonNode record) {
    return "/actuator/deadletters/"
        + record.get("topic").asString()
        + "/"
        + record.get("partition").asInt()
        + "/"
        + record.get("offset").asLong();
  }

  private static String outcomeOf(JsonNode report, UUID eventId) {
    for (JsonNode replay : report.get("replays")) {
      if (eventId.toString().equals(replay.path("eventId").asString(""))) {
        return replay.get("outcome").asString();
      }
    }
    return null;
  }

  private List<String> replays(UUID eventId) {
    return jdbc.sql("select outcome from dead_letter_replays where event_id = ? order by id")
        .param(eventId)
        .query(String.class)
        .list();
  }

  private long effects(UUID orderId) {
    return jdbc.sql("select count(*) from effects where order_id = ?")
        .param(orderId)
        .query(Long.class)
        .single();
  }

  private JsonNode get(String path) {
    return send(authorized(path).GET());
  }

  private JsonNode post(String path) {
    return send(authorized(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return json.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + TOKEN);
  }

  private URI url(String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
