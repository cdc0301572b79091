package dev.saga.events;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** An order was accepted and awaits its reservation and payment. */
public record OrderPlaced(
    UUID orderId, String customerId, List<Line> items, BigDecimal totalAmount, String currency)
    implements OrderEvent {

  public OrderPlaced {
    items = List.copyOf(items);
  }

  /** One order line, priced when the order was placed. */
  public record Line(String productId, int quantity, BigDecimal unitPrice) {}
}
