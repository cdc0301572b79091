package dev.saga.inventory.reservation;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.OrderEvent;
import dev.saga.events.OrderPlaced;
import dev.saga.events.Topics;
import dev.saga.messaging.EventRecords;
import dev.saga.test.KafkaProbe;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Plays the order service: puts its events on the orders topic as its relay would, and reads what
 * the inventory answers (each answer decoded, so checked against its schema).
 */
final class OrderEvents implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final String CUSTOMER = "C-inventory";

  final KafkaProbe kafka = KafkaProbe.onSharedBroker();

  /** Sends {@code event} with a new event id, which it returns. */
  UUID send(OrderEvent event) {
    UUID eventId = UUID.randomUUID();
    kafka.send(EventRecords.of(event, eventId, "/order-service"));
    return eventId;
  }

  /** Waits until the inventory has announced at least {@code count} events for the order. */
  List<InventoryUpdated> awaitAnswers(UUID orderId, int count) {
    return kafka
        .await(Topics.INVENTORY, record -> orderId.toString().equals(record.key()), count, WAIT)
        .stream()
        .map(OrderEvents::decode)
        .toList();
  }

  /** What the inventory has announced for the order so far. */
  List<InventoryUpdated> answers(UUID orderId) {
    return kafka.readAll(Topics.INVENTORY).stream()
        .filter(record -> orderId.toString().equals(record.key()))
        .map(OrderEvents::decode)
        .toList();
  }

  static OrderPlaced placed(UUID orderId, OrderPlaced.Line... lines) {
    BigDecimal total =
        Arrays.stream(lines)
            .map(line -> line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    return new OrderPlaced(orderId, CUSTOMER, List.of(lines), total, "EUR");
  }

  static OrderPlaced.Line line(String productId, int quantity) {
    return new OrderPlaced.Line(productId, quantity, new BigDecimal("2.00"));
  }

  static String newProductId() {
    return "P-" + UUID.randomUUID();
  }

  private static InventoryUpdated decode(ConsumerRecord<String, byte[]> record) {
    return (InventoryUpdated) EventRecords.read(Topics.INVENTORY, record.headers(), record.value());
  }

  @Override
  public void close() {
    kafka.close();
  }
}
