package dev.saga.order.web;

import dev.saga.order.OrderAlreadyConfirmedException;
import dev.saga.order.OrderService;
import dev.saga.order.catalog.ProductNotOrderableException;
import dev.saga.web.ProblemResponses;
import dev.saga.web.ResourceId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Orders over HTTP: place, read, list by customer, cancel, and each order's timeline. */
@RestController
@RequestMapping("/api/orders")
class OrderController {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

  private final OrderService orders;
  private final OrderPlacement placement;

  OrderController(OrderService orders, OrderPlacement placement) {
    this.orders = orders;
    this.placement = placement;
  }

  /**
   * Places an order. While the saga is behind, {@link OrderAdmission} answers 429 before this runs.
   */
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @ProblemResponses({400, 409, 422, 429})
  ResponseEntity<OrderResponse> place(
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
      @Valid @RequestBody PlaceOrderRequest request) {
    // Checked here rather than with a constraint on the parameter: that would turn the body's
    // field errors into one error for the whole body.
    if (idempotencyKey != null
        && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST,
          IDEMPOTENCY_KEY + " must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
    }
    OrderPlacement.Placed placed = placement.place(idempotencyKey, request);
    return ResponseEntity.created(placed.location()).body(placed.order());
  }

  @GetMapping("/{orderId}")
  @ProblemResponses({400, 404})
  OrderResponse order(@PathVariable UUID orderId) {
    return orders.find(orderId).map(OrderResponse::of).orElseThrow(() -> notFound(orderId));
  }

  @GetMapping("/{orderId}/timeline")
  @ProblemResponses({400, 404})
  TimelineResponse timeline(@PathVariable UUID orderId) {
    return orders.timeline(orderId).map(TimelineResponse::of).orElseThrow(() -> notFound(orderId));
  }

  @GetMapping
  @ProblemResponses({400})
  PagedModel<OrderResponse> ordersOf(
      @RequestParam @ResourceId String customerId,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
    Sort newestFirst = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));
    return new PagedModel<>(
        orders
            .findByCustomer(customerId, PageRequest.of(page, size, newestFirst))
            .map(OrderResponse::of));
  }

  @PostMapping("/{orderId}/cancel")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @ProblemResponses({400, 404, 409})
  OrderResponse cancel(@PathVariable UUID orderId) {
    return orders
        .cancelByCustomer(orderId)
        .map(OrderResponse::of)
        .orElseThrow(() -> notFound(orderId));
  }

  @ExceptionHandler
  ProblemDetail productNotOrderable(ProductNotOrderableException exception) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, exception.getMessage());
    problem.setProperty("products", exception.reasons());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail alreadyConfirmed(OrderAlreadyConfirmedException exception) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, exception.getMessage());
  }

  private static ResponseStatusException notFound(UUID orderId) {
    return new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + orderId);
  }
}
