package dev.saga.order.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saga.events.CancelOrder;
import dev.saga.order.HistoryEntry;
import dev.saga.order.Order;
import dev.saga.order.OrderLine;
import dev.saga.order.OrderService.OrderDetails;
import dev.saga.order.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the HTTP API shows it, with its timeline. */
record OrderResponse(
    UUID orderId,
    String customerId,
    OrderStatus status,
    @JsonInclude(JsonInclude.Include.NON_NULL) CancelOrder.Reason cancellationReason,
    List<Item> items,
    BigDecimal totalAmount,
    String currency,
    Instant createdAt,
    Instant updatedAt,
    List<History> history) {

  static OrderResponse of(OrderDetails details) {
    Order order = details.order();
    return new OrderResponse(
        order.id(),
        order.customerId(),
        order.status(),
        order.cancellationReason().orElse(null),
        details.lines().stream().map(Item::of).toList(),
        order.totalAmount(),
        order.currency(),
        order.createdAt(),
        order.updatedAt(),
        details.history().stream().map(History::of).toList());
  }

  /** One order line. */
  record Item(String productId, int quantity, BigDecimal unitPrice) {

    static Item of(OrderLine line) {
      return new Item(line.productId(), line.quantity(), line.unitPrice());
    }
  }

  /**
   * A status change ({@code STATUS}, at the time of the change) or a consumed saga event ({@code
   * EVENT}, at the time its publisher wrote it).
   */
  record History(HistoryEntry.Kind kind, String name, Instant at) {

    static History of(HistoryEntry entry) {
      return new History(entry.kind(), entry.name(), entry.at());
    }
  }
}
