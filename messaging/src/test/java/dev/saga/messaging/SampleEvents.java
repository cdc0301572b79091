package dev.saga.messaging;

import dev.saga.events.OrderPlaced;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** Events for tests, each for a fresh order. */
final class SampleEvents {

  private SampleEvents() {}

  static OrderPlaced orderPlaced(String customerId) {
    return orderPlaced(UUID.randomUUID(), customerId);
  }

  static OrderPlaced orderPlaced(UUID orderId, String customerId) {
    return new OrderPlaced(
        orderId,
        customerId,
        List.of(new OrderPlaced.Line("P-1", 2, new BigDecimal("5.00"))),
        new BigDecimal("10.00"),
        "EUR");
  }
}
