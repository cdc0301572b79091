package dev.saga.order.catalog;

import dev.saga.events.ProductChanged;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The order service's read model of the product catalog: what can be ordered, at what price. */
@Service
public class Catalog {

  private final CatalogProducts products;

  Catalog(CatalogProducts products) {
    this.products = products;
  }

  /** Applies a change of one product, unless a newer version of it is applied already. */
  @Transactional
  public void apply(ProductChanged change) {
    products.upsert(
        change.productId(),
        change.name(),
        change.price(),
        change.currency(),
        change.active(),
        change.version());
  }

  /** Up to {@code limit} products that can be ordered in {@code currency}, by id. */
  @Transactional(readOnly = true)
  public List<CatalogProduct> orderable(String currency, int limit) {
    return products.findByActiveTrueAndCurrencyOrderByProductId(currency, PageRequest.of(0, limit));
  }

  /**
   * The unit price of each of {@code productIds}.
   *
   * @throws ProductNotOrderableException naming every product that is unknown, inactive or not
   *     priced in {@code currency}
   */
  @Transactional(readOnly = true)
  public Map<String, BigDecimal> unitPrices(Collection<String> productIds, String currency) {
    Map<String, CatalogProduct> known =
        products.findAllById(productIds).stream()
            .collect(Collectors.toMap(CatalogProduct::productId, Function.identity()));
    Map<String, String> notOrderable = new LinkedHashMap<>();
    Map<String, BigDecimal> prices = new LinkedHashMap<>();
    for (String productId : productIds) {
      CatalogProduct product = known.get(productId);
      String whyNot = product == null ? "unknown" : product.whyNotOrderableIn(currency);
      if (whyNot != null) {
        notOrderable.put(productId, whyNot);
      } else {
        prices.put(productId, product.price());
      }
    }
    if (!notOrderable.isEmpty()) {
      throw new ProductNotOrderableException(notOrderable);
    }
    return prices;
  }
}
