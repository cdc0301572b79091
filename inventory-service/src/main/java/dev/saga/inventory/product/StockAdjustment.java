package dev.saga.inventory.product;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A change of a product's stock made by the catalog rather than by an order; never changed. */
@Entity
@Table(name = "stock_adjustments")
public class StockAdjustment {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String productId;
  private int delta;
  private Instant at;

  protected StockAdjustment() {}

  StockAdjustment(String productId, int delta, Instant at) {
    this.productId = productId;
    this.delta = delta;
    this.at = at;
  }

  public String getProductId() {
    return productId;
  }

  public int getDelta() {
    return delta;
  }

  public Instant getAt() {
    return at;
  }
}
