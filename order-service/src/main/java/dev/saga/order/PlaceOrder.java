package dev.saga.order;

import java.util.List;

/** A customer's request for an order: which products, how many of each; prices come later. */
public record PlaceOrder(String customerId, List<Item> items) {

  public PlaceOrder {
    items = List.copyOf(items);
  }

  /** How many of one product. */
  public record Item(String productId, int quantity) {}
}
