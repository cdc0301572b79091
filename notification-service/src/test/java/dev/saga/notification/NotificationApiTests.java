package dev.saga.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.events.NotificationSent;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.Topics;
import dev.saga.messaging.EventRecords;
import dev.saga.test.KafkaProbe;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/notifications?orderId=…} end to end, and its OpenAPI document. */
@NotificationServiceTest
class NotificationApiTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private ServiceClient service;

  @BeforeEach
  void connect() {
    service = new ServiceClient(port);
  }

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void showsTheNotificationOfAnOrderOnceItIsSent() {
    OrderConfirmed confirmed =
        new OrderConfirmed(
            UUID.randomUUID(),
            "C-" + UUID.randomUUID().toString().substring(0, 8),
            new BigDecimal("7.00"),
            "EUR");
    kafka.send(EventRecords.of(confirmed, UUID.randomUUID(), "/order-service"));
    ConsumerRecord<String, byte[]> record =
        kafka.await(Topics.NOTIFICATIONS, r -> confirmed.subject().equals(r.key()), 1, WAIT).get(0);
    NotificationSent sent =
        (NotificationSent)
            EventRecords.read(Topics.NOTIFICATIONS, record.headers(), record.value());

    ServiceClient.Response response = service.notifications(confirmed.orderId());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().size()).isEqualTo(1);
    JsonNode notification = response.body().get(0);
    assertThat(notification.get("notificationId").asString())
        .isEqualTo(sent.notificationId().toString());
    assertThat(notification.get("orderId").asString()).isEqualTo(confirmed.orderId().toString());
    assertThat(notification.get("outcome").asString()).isEqualTo("CONFIRMED");
    assertThat(notification.get("recipient").asString())
        .isEqualTo(confirmed.customerId() + "@example.com");
    assertThat(notification.get("subject").asString())
        .isEqualTo("Order " + confirmed.orderId() + " confirmed");
    assertThat(notification.get("sentAt").asString())
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
  }

  @Test
  void answersAnEmptyListForAnOrderWithoutNotifications() {
    ServiceClient.Response response = service.notifications(UUID.randomUUID());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().isArray()).isTrue();
    assertThat(response.body().size()).isZero();
  }

  @Test
  void rejectsAnOrderIdThatIsNotAUuidWithProblemDetails() {
    ServiceClient.Response response = service.notifications("order-1");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body().get("status").asInt()).isEqualTo(400);
  }

  @Test
  void rejectsARequestWithoutOrderIdWithProblemDetails() {
    ServiceClient.Response response = service.get("/api/notifications");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @Test
  void documentsTheErrorsOfTheQueryInOpenApi() {
    ServiceClient.Response docs = service.get("/v3/api-docs");

    assertThat(docs.status()).isEqualTo(200);
    JsonNode get = docs.body().at("/paths/~1api~1notifications/get");
    assertThat(get.at("/parameters/0/name").asString()).isEqualTo("orderId");
    assertThat(get.at("/parameters/0/required").asBoolean()).isTrue();
    assertThat(get.at("/parameters/0/schema/format").asString()).isEqualTo("uuid");
    assertThat(get.at("/responses/200").isMissingNode()).isFalse();
    assertThat(get.at("/responses/400/content").has("application/problem+json")).isTrue();
  }
}
