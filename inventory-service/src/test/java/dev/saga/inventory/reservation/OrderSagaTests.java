package dev.saga.inventory.reservation;

import static dev.saga.inventory.reservation.OrderEvents.CUSTOMER;
import static dev.saga.inventory.reservation.OrderEvents.WAIT;
import static dev.saga.inventory.reservation.OrderEvents.line;
import static dev.saga.inventory.reservation.OrderEvents.newProductId;
import static dev.saga.inventory.reservation.OrderEvents.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.InventoryUpdated.Reason;
import dev.saga.events.InventoryUpdated.Status;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderPlaced;
import dev.saga.events.Topics;
import dev.saga.inventory.InventoryApi;
import dev.saga.messaging.EventRecords;
import dev.saga.messaging.RejectedEventException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@dev.saga.test.ServiceTest
class OrderSagaTests {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ReservationRepository reservations;

  private final OrderEvents orders = new OrderEvents();
  private final UUID orderId = UUID.randomUUID();
  private InventoryApi api;

  @BeforeEach
  void connect() {
    api = new InventoryApi(port, jdbc);
  }

  @AfterEach
  void closeProbe() {
    orders.close();
  }

  @Test
  void reservesTheStockOfAPlacedOrderAndAnnouncesWhatPaymentNeeds() {
    String pen = productWithStock(10);
    String ink = productWithStock(5);

    orders.send(placed(orderId, line(pen, 3), line(ink, 1), line(pen, 1)));

    assertThat(orders.awaitAnswers(orderId, 1))
        .containsExactly(
            InventoryUpdated.reserved(orderId, CUSTOMER, new BigDecimal("10.00"), "EUR"));
    assertThat(stock(pen)).containsExactly(6, 4, 0);
    assertThat(stock(ink)).containsExactly(4, 1, 0);
    assertThat(reservations.findById(orderId))
        .get()
        .extracting(Reservation::getStatus)
        .isEqualTo(ReservationStatus.RESERVED);
  }

  @Test
  void rejectsAnOrderForAnUnknownProduct() {
    String pen = productWithStock(10);

    orders.send(placed(orderId, line(pen, 1), line(newProductId(), 1)));

    assertThat(orders.awaitAnswers(orderId, 1))
        .containsExactly(InventoryUpdated.rejected(orderId, Reason.UNKNOWN_PRODUCT));
    assertThat(stock(pen)).containsExactly(10, 0, 0);
  }

  @Test
  void rejectsAnOrderForAnInactiveProduct() {
    String retired = newProductId();
    api.define(retired, "Retired", "1.00", 10, false);

    orders.send(placed(orderId, line(retired, 1)));

    assertThat(orders.awaitAnswers(orderId, 1))
        .containsExactly(InventoryUpdated.rejected(orderId, Reason.UNKNOWN_PRODUCT));
    assertThat(stock(retired)).containsExactly(10, 0, 0);
  }

  @Test
  void rejectsAnOrderOneProductCannotSupplyAndHoldsNothing() {
    String pen = productWithStock(10);
    String ink = productWithStock(1);

    orders.send(placed(orderId, line(pen, 2), line(ink, 2)));

    assertThat(orders.awaitAnswers(orderId, 1))
        .containsExactly(InventoryUpdated.rejected(orderId, Reason.OUT_OF_STOCK));
    assertThat(stock(pen)).containsExactly(10, 0, 0);
    assertThat(stock(ink)).containsExactly(1, 0, 0);
  }

  @Test
  void releasesTheStockOfACancelledOrder() {
    String pen = productWithStock(10);
    orders.send(placed(orderId, line(pen, 3)));
    orders.awaitAnswers(orderId, 1);

    orders.send(new CancelOrder(orderId, CUSTOMER, CancelOrder.Reason.PAYMENT_DECLINED));

    assertThat(orders.awaitAnswers(orderId, 2))
        .extracting(InventoryUpdated::status)
        .containsExactly(Status.RESERVED, Status.RELEASED);
    assertThat(orders.answers(orderId).get(1)).isEqualTo(InventoryUpdated.released(orderId));
    assertThat(stock(pen)).containsExactly(10, 0, 0);
  }

  @Test
  void sellsTheStockOfAConfirmedOrder() {
    String pen = productWithStock(10);
    OrderPlaced order = placed(orderId, line(pen, 3));
    orders.send(order);
    orders.awaitAnswers(orderId, 1);

    orders.send(confirmed(order));

    assertThat(orders.awaitAnswers(orderId, 2))
        .containsExactly(
            InventoryUpdated.reserved(orderId, CUSTOMER, new BigDecimal("6.00"), "EUR"),
            InventoryUpdated.committed(orderId));
    assertThat(stock(pen)).containsExactly(7, 0, 3);
  }

  @Test
  void holdsNothingForAnOrderCancelledBeforeItWasPlaced() {
    String pen = productWithStock(10);

    orders.send(new CancelOrder(orderId, CUSTOMER, CancelOrder.Reason.TIMEOUT));
    UUID placement = orders.send(placed(orderId, line(pen, 3)));
    awaitProcessed(placement);

    assertThat(count("select count(*) from outbox where msg_key = ?", orderId.toString())).isZero();
    assertThat(orders.answers(orderId)).isEmpty();
    assertThat(stock(pen)).containsExactly(10, 0, 0);
    assertThat(reservations.findById(orderId))
        .get()
        .extracting(Reservation::getStatus)
        .isEqualTo(ReservationStatus.CANCELLED);
  }

  @Test
  void appliesAnEventDeliveredTwiceOnce() {
    String pen = productWithStock(10);
    OrderPlaced order = placed(orderId, line(pen, 3));
    ProducerRecord<String, byte[]> record =
        EventRecords.of(order, UUID.randomUUID(), "/order-service");

    orders.kafka.send(record);
    orders.kafka.send(record);
    // Same key, so same partition: once the confirmation is answered, both copies were consumed.
    orders.send(confirmed(order));

    assertThat(orders.awaitAnswers(orderId, 2))
        .extracting(InventoryUpdated::status)
        .containsExactly(Status.RESERVED, Status.COMMITTED);
    assertThat(stock(pen)).containsExactly(7, 0, 3);
  }

  @Test
  void reservesOnceWhenThePlacementIsReplayedUnderANewEventId() {
    String pen = productWithStock(10);
    OrderPlaced order = placed(orderId, line(pen, 3));

    orders.send(order);
    orders.send(order);
    orders.send(confirmed(order));
    orders.send(confirmed(order));
    UUID last = orders.send(order);
    awaitProcessed(last);

    assertThat(orders.awaitAnswers(orderId, 2))
        .extracting(InventoryUpdated::status)
        .containsExactly(Status.RESERVED, Status.COMMITTED);
    assertThat(stock(pen)).containsExactly(7, 0, 3);
  }

  @Test
  void deadLettersAConfirmationOfAnOrderItHoldsNoStockFor() {
    orders.send(new OrderConfirmed(orderId, CUSTOMER, new BigDecimal("1.00"), "EUR"));

    ConsumerRecord<String, byte[]> dead = awaitDeadLetter();

    assertThat(header(dead, "saga_dlt-cause")).isEqualTo(RejectedEventException.class.getName());
    assertThat(header(dead, "saga_dlt-reason")).contains(orderId.toString());
    assertThat(reservations.findById(orderId)).as("the rejected event left nothing").isEmpty();
  }

  @Test
  void deadLettersACancellationOfAConfirmedOrderAndKeepsTheSale() {
    String pen = productWithStock(10);
    OrderPlaced order = placed(orderId, line(pen, 2));
    orders.send(order);
    orders.send(confirmed(order));
    orders.awaitAnswers(orderId, 2);

    orders.send(new CancelOrder(orderId, CUSTOMER, CancelOrder.Reason.CUSTOMER_CANCELLED));

    assertThat(header(awaitDeadLetter(), "saga_dlt-cause"))
        .isEqualTo(RejectedEventException.class.getName());
    assertThat(orders.answers(orderId))
        .extracting(InventoryUpdated::status)
        .containsExactly(Status.RESERVED, Status.COMMITTED);
    assertThat(stock(pen)).containsExactly(8, 0, 2);
  }

  @Test
  void keepsThePartitionFlowingAfterAPoisonRecord() {
    String pen = productWithStock(10);
    OrderPlaced order = placed(orderId, line(pen, 1));
    ProducerRecord<String, byte[]> poison =
        new ProducerRecord<>(
            Topics.ORDERS, orderId.toString(), "{\"orderId\": ".getBytes(StandardCharsets.UTF_8));
    EventRecords.of(order, UUID.randomUUID(), "/order-service")
        .headers()
        .forEach(poison.headers()::add);

    orders.kafka.send(poison);
    orders.send(order);

    assertThat(orders.awaitAnswers(orderId, 1))
        .extracting(InventoryUpdated::status)
        .containsExactly(Status.RESERVED);
    ConsumerRecord<String, byte[]> dead = awaitDeadLetter();
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\": ");
    assertThat(stock(pen)).containsExactly(9, 1, 0);
  }

  private String productWithStock(int stock) {
    String productId = newProductId();
    api.define(productId, stock);
    return productId;
  }

  /** Available, reserved and sold, after checking that stock is conserved. */
  private Integer[] stock(String productId) {
    InventoryApi.ProductView product = api.assertStockConserved(productId);
    return new Integer[] {product.available(), product.reserved(), product.sold()};
  }

  private static OrderConfirmed confirmed(OrderPlaced order) {
    return new OrderConfirmed(
        order.orderId(), order.customerId(), order.totalAmount(), order.currency());
  }

  private ConsumerRecord<String, byte[]> awaitDeadLetter() {
    return orders
        .kafka
        .await(
            Topics.deadLetter(Topics.ORDERS),
            record -> orderId.toString().equals(record.key()),
            1,
            WAIT)
        .getFirst();
  }

  private void awaitProcessed(UUID eventId) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                jdbc.sql("select count(*) from processed_events where event_id = ?")
                        .param(eventId)
                        .query(Long.class)
                        .single()
                    == 1);
  }

  private long count(String sql, String key) {
    return jdbc.sql(sql).param(key).query(Long.class).single();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
