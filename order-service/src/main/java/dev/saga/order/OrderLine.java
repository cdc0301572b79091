package dev.saga.order;

import jakarta.persistence.Embeddable;
import java.math.BigDecimal;

/** One line of an order, priced from the catalog when the order was placed. */
@Embeddable
public record OrderLine(String productId, int quantity, BigDecimal unitPrice) {

  public OrderLine {
    if (quantity < 1) {
      throw new IllegalArgumentException("A line orders at least one item, not " + quantity);
    }
  }

  BigDecimal amount() {
    return unitPrice.multiply(BigDecimal.valueOf(quantity));
  }
}
