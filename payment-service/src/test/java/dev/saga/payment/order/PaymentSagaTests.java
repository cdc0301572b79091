package dev.saga.payment.order;

import static dev.saga.payment.SagaDriver.cancel;
import static dev.saga.payment.SagaDriver.header;
import static dev.saga.payment.SagaDriver.record;
import static dev.saga.payment.SagaDriver.reserved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderPlaced;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.PaymentProcessed.Reason;
import dev.saga.events.PaymentProcessed.Status;
import dev.saga.events.Topics;
import dev.saga.messaging.RejectedEventException;
import dev.saga.payment.PaymentApi;
import dev.saga.payment.PaymentApi.PaymentView;
import dev.saga.payment.SagaDriver;
import dev.saga.test.ServiceTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Every reaction of the payment service to the saga, end to end: events in on Kafka, state in
 * PostgreSQL, {@code PaymentProcessed} out through the outbox, state read back over HTTP.
 */
@ServiceTest
@AutoConfigureRestTestClient
class PaymentSagaTests {

  @Autowired RestTestClient http;
  @Autowired JdbcClient jdbc;

  private PaymentApi api;
  private SagaDriver saga;
  private final UUID orderId = UUID.randomUUID();
  private final String customerId = "C-" + UUID.randomUUID();

  @BeforeEach
  void connect() {
    api = new PaymentApi(http);
    saga = new SagaDriver(jdbc);
  }

  @AfterEach
  void disconnect() {
    saga.close();
  }

  @Test
  void chargesTheOrderTotalWhenItsStockIsReserved() {
    api.putAccount(customerId, "100.00");

    saga.send(reserved(orderId, customerId, "30.00"));

    PaymentProcessed charged = saga.awaitPublished(orderId, 1).getFirst();
    assertThat(charged)
        .isEqualTo(
            new PaymentProcessed(
                orderId,
                charged.paymentId(),
                customerId,
                Status.SUCCEEDED,
                new BigDecimal("30.00"),
                "EUR",
                null));
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("70.00"));
    assertThat(api.payments(orderId))
        .singleElement()
        .satisfies(
            payment -> {
              assertThat(payment.paymentId()).isEqualTo(charged.paymentId());
              assertThat(payment.orderId()).isEqualTo(orderId);
              assertThat(payment.type()).isEqualTo("CHARGE");
              assertThat(payment.amount()).isEqualTo(new BigDecimal("30.00"));
              assertThat(payment.at()).isNotNull();
            });
  }

  @Test
  void declinesTheChargeWhenTheBalanceFallsShort() {
    api.putAccount(customerId, "29.99");

    saga.send(reserved(orderId, customerId, "30.00"));

    PaymentProcessed declined = saga.awaitPublished(orderId, 1).getFirst();
    assertThat(declined.status()).isEqualTo(Status.FAILED);
    assertThat(declined.reason()).isEqualTo(Reason.INSUFFICIENT_FUNDS);
    assertThat(declined.amount()).isEqualTo(new BigDecimal("30.00"));
    assertThat(declined.customerId()).isEqualTo(customerId);
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("29.99"));
    assertThat(api.payments(orderId)).isEmpty();
  }

  @Test
  void declinesTheChargeOfACustomerWithoutAccountAndCreatesNone() {
    saga.send(reserved(orderId, customerId, "30.00"));

    PaymentProcessed declined = saga.awaitPublished(orderId, 1).getFirst();
    assertThat(declined.status()).isEqualTo(Status.FAILED);
    assertThat(declined.reason()).isEqualTo(Reason.UNKNOWN_ACCOUNT);
    assertThat(api.payments(orderId)).isEmpty();
    http.get().uri("/api/accounts/{id}", customerId).exchange().expectStatus().isNotFound();
  }

  @Test
  void refundsTheChargeWhenTheOrderIsCancelled() {
    api.putAccount(customerId, "100.00");
    saga.send(reserved(orderId, customerId, "30.00"));
    PaymentProcessed charged = saga.awaitPublished(orderId, 1).getFirst();

    saga.send(cancel(orderId, customerId));

    List<PaymentProcessed> published = saga.awaitPublished(orderId, 2);
    PaymentProcessed refunded = published.get(1);
    assertThat(refunded)
        .isEqualTo(
            new PaymentProcessed(
                orderId,
                refunded.paymentId(),
                customerId,
                Status.REFUNDED,
                new BigDecimal("30.00"),
                "EUR",
                null));
    assertThat(refunded.paymentId()).isNotEqualTo(charged.paymentId());
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("100.00"));
    List<PaymentView> payments = api.payments(orderId);
    assertThat(payments)
        .extracting(PaymentView::type, PaymentView::paymentId, PaymentView::amount)
        .containsExactly(
            tuple("CHARGE", charged.paymentId(), new BigDecimal("30.00")),
            tuple("REFUND", refunded.paymentId(), new BigDecimal("30.00")));
    assertThat(payments.get(1).at()).isAfter(payments.get(0).at());
  }

  @Test
  void refusesTheChargeOfAnOrderCancelledBeforeItsReservation() {
    api.putAccount(customerId, "100.00");
    UUID cancelled = saga.send(cancel(orderId, customerId));
    saga.awaitQuietAfter(cancelled);
    assertThat(saga.published(orderId)).as("nothing to refund yet").isEmpty();

    saga.send(reserved(orderId, customerId, "30.00"));

    PaymentProcessed refused = saga.awaitPublished(orderId, 1).getFirst();
    assertThat(refused)
        .isEqualTo(
            new PaymentProcessed(
                orderId,
                refused.paymentId(),
                customerId,
                Status.FAILED,
                new BigDecimal("30.00"),
                "EUR",
                Reason.ORDER_CANCELLED));
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("100.00"));
    assertThat(api.payments(orderId)).isEmpty();
  }

  @Test
  void ignoresEventsThatNeedNothingFromPayment() {
    api.putAccount(customerId, "100.00");
    BigDecimal total = new BigDecimal("30.00");
    saga.send(
        new OrderPlaced(
            orderId, customerId, List.of(new OrderPlaced.Line("P-1", 1, total)), total, "EUR"));
    saga.send(InventoryUpdated.rejected(orderId, InventoryUpdated.Reason.OUT_OF_STOCK));
    saga.send(InventoryUpdated.released(orderId));
    saga.send(InventoryUpdated.committed(orderId));
    UUID last = saga.send(new OrderConfirmed(orderId, customerId, total, "EUR"));

    saga.awaitQuietAfter(last);

    assertThat(saga.published(orderId)).isEmpty();
    assertThat(orderRecords(orderId)).isZero();
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("100.00"));
  }

  @Test
  void appliesTheSameEventDeliveredTwiceOnce() {
    api.putAccount(customerId, "100.00");
    ProducerRecord<String, byte[]> reservation = record(reserved(orderId, customerId, "30.00"));
    ProducerRecord<String, byte[]> cancellation = record(cancel(orderId, customerId));

    saga.send(reservation);
    saga.send(reservation);
    saga.awaitQuietAfter(saga.send(InventoryUpdated.committed(orderId)));
    assertThat(saga.published(orderId))
        .extracting(PaymentProcessed::status)
        .containsExactly(Status.SUCCEEDED);
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("70.00"));

    saga.send(cancellation);
    saga.send(cancellation);
    saga.awaitQuietAfter(saga.send(new OrderConfirmed(orderId, customerId, BigDecimal.ONE, "EUR")));

    assertThat(saga.published(orderId))
        .extracting(PaymentProcessed::status)
        .containsExactly(Status.SUCCEEDED, Status.REFUNDED);
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("100.00"));
    assertThat(api.payments(orderId)).hasSize(2);
  }

  @Test
  void chargesOnceWhenTheReservationIsRepublishedUnderANewEventId() {
    api.putAccount(customerId, "100.00");

    saga.send(reserved(orderId, customerId, "30.00"));
    saga.awaitQuietAfter(saga.send(reserved(orderId, customerId, "30.00")));

    assertThat(saga.published(orderId))
        .extracting(PaymentProcessed::status)
        .containsExactly(Status.SUCCEEDED);
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("70.00"));
    assertThat(api.payments(orderId)).hasSize(1);
  }

  @Test
  void neverOverdrawsAnAccountThatManyOrdersChargeAtOnce() {
    api.putAccount(customerId, "70.00");
    List<UUID> orders = IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID()).toList();

    orders.forEach(order -> saga.send(reserved(order, customerId, "10.00")));

    List<PaymentProcessed> outcomes = saga.awaitPublished(orders, 20);
    Map<Status, Long> byStatus =
        outcomes.stream()
            .collect(Collectors.groupingBy(PaymentProcessed::status, Collectors.counting()));
    assertThat(byStatus)
        .containsExactlyInAnyOrderEntriesOf(Map.of(Status.SUCCEEDED, 7L, Status.FAILED, 13L));
    assertThat(outcomes)
        .filteredOn(outcome -> outcome.status() == Status.FAILED)
        .extracting(PaymentProcessed::reason)
        .containsOnly(Reason.INSUFFICIENT_FUNDS);
    assertThat(outcomes).extracting(PaymentProcessed::orderId).doesNotHaveDuplicates();
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("0.00"));
  }

  @Test
  void aCancellationRacingItsReservationAlwaysNetsToZero() {
    api.putAccount(customerId, "1000.00");
    List<UUID> orders = IntStream.range(0, 10).mapToObj(i -> UUID.randomUUID()).toList();

    for (UUID order : orders) {
      saga.send(cancel(order, customerId));
      saga.send(reserved(order, customerId, "10.00"));
    }

    for (UUID order : orders) {
      List<PaymentProcessed> outcome = saga.awaitPublished(order, 1);
      if (outcome.getFirst().status() == Status.SUCCEEDED) {
        assertThat(saga.awaitPublished(order, 2))
            .extracting(PaymentProcessed::status)
            .containsExactly(Status.SUCCEEDED, Status.REFUNDED);
      } else {
        assertThat(outcome.getFirst().reason()).isEqualTo(Reason.ORDER_CANCELLED);
      }
    }
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("1000.00"));
    assertThat(
            jdbc.sql(
                    "select count(*) from order_ledger where customer_id = ? and charged <> refunded")
                .param(customerId)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void keepsEveryAccountLedgerBalancedAcrossResets() {
    UUID second = UUID.randomUUID();
    api.putAccount(customerId, "100.00");
    saga.send(reserved(orderId, customerId, "30.00"));
    saga.awaitPublished(orderId, 1);
    api.putAccount(customerId, "50.00");
    saga.send(reserved(second, customerId, "20.00"));
    saga.awaitPublished(second, 1);

    // The first order's refund is of a charge made before the reset.
    saga.send(cancel(orderId, customerId));
    saga.awaitPublished(orderId, 2);

    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("60.00"));
    Map<String, Object> ledger =
        jdbc.sql("select * from account_ledger where customer_id = ?")
            .param(customerId)
            .query()
            .singleRow();
    assertThat(ledger)
        .containsEntry("balance", new BigDecimal("60.00"))
        .containsEntry("reset_balance", new BigDecimal("50.00"))
        .containsEntry("charged_since_reset", new BigDecimal("20.00"))
        .containsEntry("refunded_since_reset", new BigDecimal("30.00"));
    // The checks payment-service/README.md documents hold for every customer and order at any time.
    assertThat(
            jdbc.sql(
                    """
                    select customer_id from account_ledger
                    where balance <> reset_balance - charged_since_reset + refunded_since_reset
                       or balance < 0
                    """)
                .query(String.class)
                .list())
        .isEmpty();
    assertThat(
            jdbc.sql(
                    """
                    select order_id from order_ledger
                    where charges > 1 or refunds > 1 or refunds > charges
                       or (charges = 1 and charged <> amount)
                       or (refunds = 1 and refunded <> charged)
                    """)
                .query(UUID.class)
                .list())
        .isEmpty();
  }

  @Test
  void deadLettersAReservationInAnotherCurrencyAndKeepsThePartitionFlowing() {
    api.putAccount(customerId, "100.00");
    saga.send(InventoryUpdated.reserved(orderId, customerId, new BigDecimal("30.00"), "USD"));
    saga.send(reserved(orderId, customerId, "30.00"));

    assertThat(saga.awaitPublished(orderId, 1))
        .extracting(PaymentProcessed::status)
        .containsExactly(Status.SUCCEEDED);
    ConsumerRecord<String, byte[]> dead =
        saga.awaitRecords(Topics.deadLetter(Topics.INVENTORY), orderId, 1).getFirst();
    assertThat(header(dead, "saga_dlt-cause")).isEqualTo(RejectedEventException.class.getName());
    assertThat(header(dead, "saga_dlt-reason")).contains("USD");
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("70.00"));
  }

  @Test
  void deadLettersAReservationWhoseCustomerContradictsTheCancellation() {
    api.putAccount(customerId, "100.00");
    saga.sendAndAwait(cancel(orderId, customerId));

    saga.send(reserved(orderId, "C-someone-else", "30.00"));

    ConsumerRecord<String, byte[]> dead =
        saga.awaitRecords(Topics.deadLetter(Topics.INVENTORY), orderId, 1).getFirst();
    assertThat(header(dead, "saga_dlt-cause")).isEqualTo(RejectedEventException.class.getName());
    saga.awaitQuietAfter(saga.send(InventoryUpdated.committed(orderId)));
    assertThat(saga.published(orderId)).isEmpty();
  }

  @Test
  void deadLettersAPoisonRecordAndKeepsThePartitionFlowing() {
    api.putAccount(customerId, "100.00");
    ProducerRecord<String, byte[]> valid = record(reserved(orderId, customerId, "30.00"));
    ProducerRecord<String, byte[]> poison =
        new ProducerRecord<>(
            Topics.INVENTORY,
            orderId.toString(),
            "{\"orderId\": ".getBytes(StandardCharsets.UTF_8));
    record(reserved(orderId, customerId, "30.00")).headers().forEach(poison.headers()::add);

    saga.send(poison);
    saga.send(valid);

    assertThat(saga.awaitPublished(orderId, 1))
        .extracting(PaymentProcessed::status)
        .containsExactly(Status.SUCCEEDED);
    ConsumerRecord<String, byte[]> dead =
        saga.awaitRecords(Topics.deadLetter(Topics.INVENTORY), orderId, 1).getFirst();
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\": ");
    assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.INVENTORY);
    assertThat(api.balance(customerId)).isEqualTo(new BigDecimal("70.00"));
  }

  private long orderRecords(UUID orderId) {
    return jdbc.sql("select count(*) from payment_orders where order_id = ?")
        .param(orderId)
        .query(Long.class)
        .single();
  }
}
