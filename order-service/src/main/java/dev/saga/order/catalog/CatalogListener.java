package dev.saga.order.catalog;

import dev.saga.events.ProductChanged;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the catalog read model up to date. Its own consumer group, so the readiness check can tell
 * when the catalog has been read, whatever the saga listeners are doing. One consumer: products
 * change rarely, and each idle consumer polls the broker all the time (BENCHMARKS.md, seventeenth
 * round).
 */
@Component
@KafkaListener(
    id = CatalogListener.ID,
    topics = Topics.CATALOG,
    groupId = "${spring.application.name}-catalog",
    concurrency = "1")
class CatalogListener {

  /** The listener container's id. */
  static final String ID = "catalog";

  private final Catalog catalog;

  CatalogListener(Catalog catalog) {
    this.catalog = catalog;
  }

  @KafkaHandler
  void on(ProductChanged change) {
    catalog.apply(change);
  }

  @KafkaHandler(isDefault = true)
  void ignore(SagaEvent event) {}
}
