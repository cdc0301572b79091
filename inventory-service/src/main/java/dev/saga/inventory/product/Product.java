package dev.saga.inventory.product;

import dev.saga.events.ProductChanged;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

/**
 * A product on sale and its stock: available to reserve, reserved for orders in flight, and sold.
 */
@Entity
@Table(name = "products")
public class Product {

  @Id private String id;
  private String name;
  private BigDecimal price;
  private String currency;
  private boolean active;
  private int available;
  private int reserved;
  private int sold;

  /** The catalog version: grows with every definition, never with an order's stock movements. */
  private long version;

  private Instant createdAt;
  private Instant updatedAt;

  protected Product() {}

  /** A product not defined yet: no stock, version 0; {@link #define} makes it one on sale. */
  public Product(String id, Instant createdAt) {
    this.id = id;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  /**
   * Applies a definition from the catalog: name, price and active as given, {@code available} set
   * to {@code stock}, {@code reserved} and {@code sold} untouched. The change of {@code available}
   * is the stock adjustment (recorded on the first definition even when zero, afterwards only when
   * stock changed), so the adjustments always sum to available + reserved + sold.
   */
  public Definition define(
      String name, BigDecimal price, String currency, boolean active, int stock) {
    if (stock < 0) {
      throw new IllegalArgumentException("Stock cannot be negative: " + stock);
    }
    boolean first = version == 0;
    int delta = stock - available;
    Instant now = Instant.now();
    this.name = name;
    this.price = price.setScale(2, RoundingMode.UNNECESSARY);
    this.currency = currency;
    this.active = active;
    this.available = stock;
    this.version++;
    this.updatedAt = now;
    Optional<StockAdjustment> adjustment =
        first || delta != 0 ? Optional.of(new StockAdjustment(id, delta, now)) : Optional.empty();
    return new Definition(
        new ProductChanged(id, name, this.price, currency, active, version), adjustment);
  }

  /** Whether an order can take {@code quantity} of the available stock now. */
  public boolean canReserve(int quantity) {
    return quantity <= available;
  }

  /** Moves {@code quantity} from available to reserved. */
  public void reserve(int quantity) {
    requirePositive(quantity);
    if (quantity > available) {
      throw new IllegalStateException(
          "Cannot reserve " + quantity + " of " + id + ": only " + available + " available");
    }
    available -= quantity;
    reserved += quantity;
  }

  /** Moves {@code quantity} from reserved back to available: an order was cancelled. */
  public void release(int quantity) {
    requirePositive(quantity);
    requireReserved(quantity);
    reserved -= quantity;
    available += quantity;
  }

  /** Moves {@code quantity} from reserved to sold: an order was confirmed. */
  public void sell(int quantity) {
    requirePositive(quantity);
    requireReserved(quantity);
    reserved -= quantity;
    sold += quantity;
  }

  private static void requirePositive(int quantity) {
    if (quantity < 1) {
      throw new IllegalArgumentException("Quantity must be positive: " + quantity);
    }
  }

  private void requireReserved(int quantity) {
    if (quantity > reserved) {
      throw new IllegalStateException(
          "Cannot take " + quantity + " of " + id + " from reservations: only " + reserved);
    }
  }

  public String getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public BigDecimal getPrice() {
    return price;
  }

  public String getCurrency() {
    return currency;
  }

  public boolean isActive() {
    return active;
  }

  public int getAvailable() {
    return available;
  }

  public int getReserved() {
    return reserved;
  }

  public int getSold() {
    return sold;
  }

  public long getVersion() {
    return version;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  /**
   * What a definition changed: the event announcing the new version, and the stock adjustment to
   * record, if any.
   */
  public record Definition(ProductChanged event, Optional<StockAdjustment> adjustment) {}
}
