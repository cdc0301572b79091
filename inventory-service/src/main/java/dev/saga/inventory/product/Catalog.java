package dev.saga.inventory.product;

import dev.saga.messaging.Outbox;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Defines products and their stock, announcing every change on the catalog topic. */
@Service
class Catalog {

  private final ProductRepository products;
  private final StockAdjustmentRepository adjustments;
  private final Outbox outbox;
  private final String currency;

  Catalog(
      ProductRepository products,
      StockAdjustmentRepository adjustments,
      Outbox outbox,
      SagaProperties properties) {
    this.products = products;
    this.adjustments = adjustments;
    this.outbox = outbox;
    this.currency = properties.currency();
  }

  /** Creates or updates the product, priced in the system currency. */
  @Transactional
  Product define(String productId, String name, BigDecimal price, boolean active, int stock) {
    products.insertIfAbsent(productId, name, price, currency, active, Instant.now());
    Product product = products.findForUpdate(productId).orElseThrow();
    Product.Definition definition = product.define(name, price, currency, active, stock);
    definition.adjustment().ifPresent(adjustments::save);
    outbox.add(definition.event());
    return product;
  }

  @Transactional(readOnly = true)
  Optional<Product> find(String productId) {
    return products.findById(productId);
  }

  @Transactional(readOnly = true)
  Page<Product> list(Pageable pageable) {
    return products.findAll(pageable);
  }
}
