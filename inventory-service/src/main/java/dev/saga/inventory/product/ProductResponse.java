package dev.saga.inventory.product;

import java.math.BigDecimal;

/** A product and its stock, as the HTTP API shows it. */
record ProductResponse(
    String productId,
    String name,
    BigDecimal price,
    String currency,
    boolean active,
    int available,
    int reserved,
    int sold) {

  static ProductResponse of(Product product) {
    return new ProductResponse(
        product.getId(),
        product.getName(),
        product.getPrice(),
        product.getCurrency(),
        product.isActive(),
        product.getAvailable(),
        product.getReserved(),
        product.getSold());
  }
}
