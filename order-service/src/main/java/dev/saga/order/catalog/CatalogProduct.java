package dev.saga.order.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/**
 * A product as the catalog last announced it, read from {@code ProductChanged}; orders are priced
 * from it.
 */
@Entity
@Table(name = "catalog_products")
public class CatalogProduct {

  @Id private String productId;
  private String name;
  private BigDecimal price;
  private String currency;
  private boolean active;
  private long version;

  protected CatalogProduct() {}

  CatalogProduct(
      String productId,
      String name,
      BigDecimal price,
      String currency,
      boolean active,
      long version) {
    this.productId = productId;
    this.name = name;
    this.price = price;
    this.currency = currency;
    this.active = active;
    this.version = version;
  }

  /** Why the product cannot be ordered in {@code orderCurrency}, or {@code null} if it can. */
  String whyNotOrderableIn(String orderCurrency) {
    if (!active) {
      return "inactive";
    }
    if (!currency.equals(orderCurrency)) {
      return "priced in " + currency + ", not " + orderCurrency;
    }
    return null;
  }

  public String productId() {
    return productId;
  }

  public String name() {
    return name;
  }

  public BigDecimal price() {
    return price;
  }

  public String currency() {
    return currency;
  }

  public boolean active() {
    return active;
  }

  public long version() {
    return version;
  }
}
