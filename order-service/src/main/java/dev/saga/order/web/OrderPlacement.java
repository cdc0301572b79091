package dev.saga.order.web;

import dev.saga.order.OrderService;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Places an order at most once per {@code Idempotency-Key}: the key, the request and the response
 * are stored in the transaction that stores the order, so either all of them commit or none.
 */
@Service
class OrderPlacement {

  private final OrderService orders;
  private final IdempotencyKeys keys;
  private final JsonMapper json;

  OrderPlacement(OrderService orders, IdempotencyKeys keys, JsonMapper json) {
    this.orders = orders;
    this.keys = keys;
    this.json = json;
  }

  /**
   * Places the order, or answers a repeated request with the response to the first.
   *
   * @param idempotencyKey the request's {@code Idempotency-Key}, or {@code null}
   * @throws ResponseStatusException 409 while another request with the key is in flight, 422 if the
   *     key was used for another request
   */
  @Transactional
  public Placed place(String idempotencyKey, PlaceOrderRequest request) {
    if (idempotencyKey == null) {
      return placeNow(request);
    }
    if (!keys.tryLock(idempotencyKey)) {
      throw new ResponseStatusException(
          HttpStatus.CONFLICT, "A request with this Idempotency-Key is in progress");
    }
    String canonicalRequest = json.writeValueAsString(request);
    Optional<IdempotencyKeys.Stored> stored = keys.find(idempotencyKey);
    if (stored.isPresent()) {
      return replay(stored.get(), canonicalRequest);
    }
    Placed placed = placeNow(request);
    keys.save(
        idempotencyKey,
        new IdempotencyKeys.Stored(
            canonicalRequest,
            json.writeValueAsString(placed.order()),
            placed.location().toString()));
    return placed;
  }

  private Placed placeNow(PlaceOrderRequest request) {
    OrderResponse order = OrderResponse.of(orders.place(request.toPlaceOrder()));
    return new Placed(location(order.orderId()), order);
  }

  private Placed replay(IdempotencyKeys.Stored stored, String canonicalRequest) {
    if (!stored.request().equals(canonicalRequest)) {
      throw new ResponseStatusException(
          HttpStatus.UNPROCESSABLE_CONTENT, "This Idempotency-Key was used for another request");
    }
    return new Placed(
        URI.create(stored.location()), json.readValue(stored.responseBody(), OrderResponse.class));
  }

  static URI location(UUID orderId) {
    return URI.create("/api/orders/" + orderId);
  }

  /** A placed order and where it lives. */
  record Placed(URI location, OrderResponse order) {}
}
