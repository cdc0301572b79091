package dev.saga.inventory.product;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface StockAdjustmentRepository extends JpaRepository<StockAdjustment, Long> {

  /** The stock a product was given in total: available + reserved + sold must equal it. */
  @Query("select coalesce(sum(a.delta), 0) from StockAdjustment a where a.productId = :productId")
  long totalOf(String productId);
}
