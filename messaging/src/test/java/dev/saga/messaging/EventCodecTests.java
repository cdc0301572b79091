package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saga.events.CancelOrder;
import dev.saga.events.EventType;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderPlaced;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.ProductChanged;
import dev.saga.events.SagaEvent;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden JSON pins the wire format of every event type: what the codec writes is exactly the golden
 * document, and reading the golden document gives back the event.
 */
class EventCodecTests {

  private static final UUID ORDER = UUID.fromString("0b5d2a56-9d3c-4a8e-8a65-1f0c2b3d4e5f");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static final Map<EventType, SagaEvent> SAMPLES =
      Map.of(
          EventType.ORDER_PLACED,
          new OrderPlaced(
              ORDER,
              "C-1",
              List.of(
                  new OrderPlaced.Line("P-1", 2, new BigDecimal("15.00")),
                  new OrderPlaced.Line("P-2", 1, new BigDecimal("0.5"))),
              new BigDecimal("30.50"),
              "EUR"),
          EventType.ORDER_CONFIRMED,
          new OrderConfirmed(ORDER, "C-1", new BigDecimal("30.5"), "EUR"),
          EventType.CANCEL_ORDER,
          new CancelOrder(ORDER, "C-1", CancelOrder.Reason.PAYMENT_DECLINED),
          EventType.INVENTORY_UPDATED,
          InventoryUpdated.reserved(ORDER, "C-1", new BigDecimal("30.50"), "EUR"),
          EventType.PAYMENT_PROCESSED,
          new PaymentProcessed(
              ORDER,
              UUID.fromString("7c1e4f7a-2b9d-4c3e-9f1a-6d5e4c3b2a10"),
              "C-1",
              PaymentProcessed.Status.FAILED,
              new BigDecimal("30.50"),
              "EUR",
              PaymentProcessed.Reason.INSUFFICIENT_FUNDS),
          EventType.NOTIFICATION_SENT,
          new NotificationSent(
              ORDER,
              UUID.fromString("3f2e1d0c-9b8a-4765-8432-10fedcba9876"),
              NotificationSent.Outcome.CONFIRMED,
              "C-1@example.com",
              "<3f2e1d0c-9b8a-4765-8432-10fedcba9876@saga.local>"),
          EventType.PRODUCT_CHANGED,
          new ProductChanged("P-1", "Espresso cup", new BigDecimal("15"), "EUR", true, 3));

  private final EventCodec codec = EventCodec.instance();

  @ParameterizedTest
  @EnumSource(EventType.class)
  void writesExactlyTheGoldenDocument(EventType type) throws IOException {
    JsonNode written = JSON.readTree(codec.encode(SAMPLES.get(type)));

    assertThat(written).isEqualTo(golden(type));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void readsTheGoldenDocumentBack(EventType type) throws IOException {
    SagaEvent read = codec.decode(type, JSON.writeValueAsBytes(golden(type)));

    assertThat(read)
        .usingRecursiveComparison()
        .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
        .isEqualTo(SAMPLES.get(type));
  }

  @Test
  void omitsOptionalFieldsThatDoNotApply() {
    String json =
        new String(codec.encode(InventoryUpdated.released(ORDER)), StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("{\"orderId\":\"" + ORDER + "\",\"status\":\"RELEASED\"}");
  }

  @Test
  void refusesToRoundMoney() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> codec.encode(new OrderConfirmed(ORDER, "C-1", new BigDecimal("1.005"), "EUR")));
  }

  @Test
  void refusesToWriteAnEventItsSchemaRejects() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                codec.encode(new CancelOrder(ORDER, "not a valid id!", CancelOrder.Reason.TIMEOUT)))
        .withMessageContaining("urn:saga:CancelOrder:v1");
  }

  @Test
  void ignoresFieldsItDoesNotKnow() {
    byte[] payload =
        ("{\"orderId\":\""
                + ORDER
                + "\",\"customerId\":\"C-1\",\"reason\":\"TIMEOUT\",\"addedLater\":42}")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(codec.decode(EventType.CANCEL_ORDER, payload))
        .isEqualTo(new CancelOrder(ORDER, "C-1", CancelOrder.Reason.TIMEOUT));
  }

  @Test
  void rejectsAPayloadThatIsNotJson() {
    assertThatThrownBy(
            () -> codec.decode(EventType.CANCEL_ORDER, "{oops".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void rejectsAPayloadThatBreaksItsSchema() {
    byte[] payload =
        ("{\"orderId\":\""
                + ORDER
                + "\",\"customerId\":\"C-1\",\"totalAmount\":30.5,\"currency\":\"EUR\"}")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(EventType.ORDER_CONFIRMED, payload))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("urn:saga:OrderConfirmed:v1");
  }

  @Test
  void requiresTheFieldsAReservationCarries() {
    byte[] payload =
        ("{\"orderId\":\"" + ORDER + "\",\"status\":\"RESERVED\"}")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(EventType.INVENTORY_UPDATED, payload))
        .isInstanceOf(InvalidEventException.class);
  }

  private static JsonNode golden(EventType type) throws IOException {
    try (InputStream in =
        EventCodecTests.class.getResourceAsStream(
            "/golden/" + type.wireName() + ".v" + type.version() + ".json")) {
      assertThat(in).as("golden document of " + type).isNotNull();
      return JSON.readTree(in);
    }
  }
}
