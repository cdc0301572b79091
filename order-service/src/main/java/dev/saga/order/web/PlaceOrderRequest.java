package dev.saga.order.web;

import dev.saga.order.PlaceOrder;
import dev.saga.web.ResourceId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The body of {@code POST /api/orders}. */
record PlaceOrderRequest(
    @ResourceId String customerId,
    @NotEmpty @Size(max = 50) @DistinctProducts List<@NotNull @Valid Item> items) {

  PlaceOrder toPlaceOrder() {
    return new PlaceOrder(
        customerId,
        items.stream()
            .map(item -> new PlaceOrder.Item(item.productId(), item.quantity()))
            .toList());
  }

  /** One line: a product and how many of it. */
  record Item(@ResourceId String productId, @NotNull @Min(1) @Max(1000) Integer quantity) {}
}
