package dev.saga.order.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saga.events.CancelOrder;
import dev.saga.messaging.SagaTracing;
import dev.saga.order.OrderProperties;
import dev.saga.order.OrderService;
import dev.saga.order.OrderStatus;
import dev.saga.order.OrderSummary;
import dev.saga.order.SagaProperties;
import dev.saga.order.catalog.Catalog;
import dev.saga.web.ProblemResponses;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the live page ({@code /}) reads: the newest and the stuck orders, the products a demo order
 * can name, and the stream of changes as they commit.
 */
@RestController
@RequestMapping("/api/live")
class LiveController {

  private final OrderService orders;
  private final Catalog catalog;
  private final LiveFeed feed;
  private final String currency;
  private final Duration stuckAfter;

  LiveController(
      OrderService orders,
      Catalog catalog,
      LiveFeed feed,
      SagaProperties saga,
      OrderProperties settings) {
    this.orders = orders;
    this.catalog = catalog;
    this.feed = feed;
    this.currency = saga.currency();
    this.stuckAfter = settings.stuckAfter();
  }

  /** The newest orders of all customers, and those still pending for longer than they should. */
  @GetMapping("/orders")
  @ProblemResponses({400})
  Orders orders(@RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
    return new Orders(
        orders.recent(limit).stream().map(OrderView::of).toList(),
        orders.stuck(limit).stream().map(OrderView::of).toList(),
        stuckAfter);
  }

  /** The products a demo order can name: active and priced in the system's currency. */
  @GetMapping("/products")
  List<Product> products() {
    return catalog.orderable(currency, 100).stream()
        .map(p -> new Product(p.productId(), p.name(), p.price(), p.currency()))
        .toList();
  }

  /** Every committed change of an order, as server-sent events named {@code order}. */
  @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events() {
    return feed.subscribe();
  }

  /**
   * The newest and the stuck orders.
   *
   * @param stuckAfter how long an order stays pending before it is listed as stuck
   */
  record Orders(List<OrderView> recent, List<OrderView> stuck, Duration stuckAfter) {}

  /** A product a demo order can name. */
  record Product(String productId, String name, BigDecimal price, String currency) {}

  /** An order at a glance, with the trace it was placed in. */
  record OrderView(
      UUID orderId,
      String customerId,
      OrderStatus status,
      @JsonInclude(JsonInclude.Include.NON_NULL) CancelOrder.Reason cancellationReason,
      BigDecimal totalAmount,
      String currency,
      Instant createdAt,
      Instant updatedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String traceId) {

    static OrderView of(OrderSummary order) {
      return new OrderView(
          order.orderId(),
          order.customerId(),
          order.status(),
          order.cancellationReason(),
          order.totalAmount(),
          order.currency(),
          order.createdAt(),
          order.updatedAt(),
          SagaTracing.traceId(order.traceParent()).orElse(null));
    }
  }
}
