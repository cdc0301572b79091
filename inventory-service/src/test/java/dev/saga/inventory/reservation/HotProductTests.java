package dev.saga.inventory.reservation;

import static dev.saga.inventory.reservation.OrderEvents.line;
import static dev.saga.inventory.reservation.OrderEvents.newProductId;
import static dev.saga.inventory.reservation.OrderEvents.placed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.InventoryUpdated.Reason;
import dev.saga.events.InventoryUpdated.Status;
import dev.saga.events.Topics;
import dev.saga.inventory.InventoryApi;
import dev.saga.inventory.InventoryApi.ProductView;
import dev.saga.test.ServiceTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Many orders compete for little stock, consumed concurrently from every partition. */
@ServiceTest
class HotProductTests {

  private static final int PARTITIONS = Topics.named(Topics.ORDERS).orElseThrow().partitions();

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private final OrderEvents orders = new OrderEvents();
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
  void neverOversellsAProductManyOrdersCompeteFor() {
    String hot = newProductId();
    api.define(hot, 5);
    List<UUID> orderIds = orderIdsOnEveryPartition(30);

    orderIds.forEach(orderId -> orders.send(placed(orderId, line(hot, 1))));

    Map<UUID, InventoryUpdated> answers = awaitOneAnswerEach(orderIds);
    assertThat(answers.values())
        .filteredOn(answer -> answer.status() == Status.RESERVED)
        .hasSize(5);
    assertThat(answers.values())
        .filteredOn(answer -> answer.status() == Status.REJECTED)
        .hasSize(25)
        .allMatch(answer -> answer.reason() == Reason.OUT_OF_STOCK);
    ProductView product = api.assertStockConserved(hot);
    assertThat(product.available()).isZero();
    assertThat(product.reserved()).isEqualTo(5);
    assertThat(product.sold()).isZero();
  }

  @Test
  void reservesBothOrNeitherOfTwoHotProductsOrderedInEitherOrder() {
    String pen = newProductId();
    String ink = newProductId();
    api.define(pen, 10);
    api.define(ink, 10);
    List<UUID> orderIds = orderIdsOnEveryPartition(24);

    // Half the orders list the products one way round, half the other: locks are still taken in
    // id order, so no two orders deadlock.
    for (int i = 0; i < orderIds.size(); i++) {
      orders.send(
          i % 2 == 0
              ? placed(orderIds.get(i), line(pen, 1), line(ink, 1))
              : placed(orderIds.get(i), line(ink, 1), line(pen, 1)));
    }

    Map<UUID, InventoryUpdated> answers = awaitOneAnswerEach(orderIds);
    assertThat(answers.values())
        .filteredOn(answer -> answer.status() == Status.RESERVED)
        .hasSize(10);
    assertThat(answers.values())
        .filteredOn(answer -> answer.status() == Status.REJECTED)
        .hasSize(14);
    for (String productId : List.of(pen, ink)) {
      ProductView product = api.assertStockConserved(productId);
      assertThat(product.available()).isZero();
      assertThat(product.reserved()).isEqualTo(10);
    }
  }

  private Map<UUID, InventoryUpdated> awaitOneAnswerEach(List<UUID> orderIds) {
    List<String> keys = orderIds.stream().map(UUID::toString).toList();
    List<InventoryUpdated> answers =
        orders
            .kafka
            .await(
                Topics.INVENTORY,
                record -> keys.contains(record.key()),
                keys.size(),
                OrderEvents.WAIT)
            .stream()
            .map(
                record ->
                    (InventoryUpdated)
                        dev.saga.messaging.EventRecords.read(
                            Topics.INVENTORY, record.headers(), record.value()))
            .toList();
    assertThat(answers).as("one answer per order").hasSize(keys.size());
    return answers.stream()
        .collect(Collectors.toMap(InventoryUpdated::orderId, Function.identity()));
  }

  /** {@code count} order ids whose records spread evenly over every partition of the topic. */
  private static List<UUID> orderIdsOnEveryPartition(int count) {
    List<UUID> orderIds = new ArrayList<>();
    while (orderIds.size() < count) {
      UUID candidate = UUID.randomUUID();
      if (partitionOf(candidate) == orderIds.size() % PARTITIONS) {
        orderIds.add(candidate);
      }
    }
    return orderIds;
  }

  /** The partition Kafka's default partitioner picks for the key. */
  private static int partitionOf(UUID orderId) {
    byte[] key = orderId.toString().getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
  }
}
