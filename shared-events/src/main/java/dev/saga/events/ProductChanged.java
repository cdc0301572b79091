package dev.saga.events;

import java.math.BigDecimal;

/**
 * A product was created or changed; {@code version} grows with every change, so a read model keeps
 * the highest it has seen. Published on the compacted {@link Topics#CATALOG}, keyed by product id.
 */
public record ProductChanged(
    String productId, String name, BigDecimal price, String currency, boolean active, long version)
    implements InventoryEvent {

  @Override
  public String subject() {
    return productId;
  }
}
