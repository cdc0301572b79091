package dev.saga.order.catalog;

import java.util.Map;

/**
 * An order names a product the catalog does not offer: unknown, inactive or in another currency.
 */
public class ProductNotOrderableException extends RuntimeException {

  private final Map<String, String> reasons;

  public ProductNotOrderableException(Map<String, String> reasons) {
    super(
        "Cannot order "
            + reasons.entrySet().stream()
                .map(reason -> reason.getKey() + " (" + reason.getValue() + ")")
                .toList());
    this.reasons = Map.copyOf(reasons);
  }

  /** Why each product cannot be ordered, by product id. */
  public Map<String, String> reasons() {
    return reasons;
  }
}
