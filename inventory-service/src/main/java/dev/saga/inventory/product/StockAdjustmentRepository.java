package dev.saga.inventory.product;

import org.springframework.data.jpa.repository.JpaRepository;

interface StockAdjustmentRepository extends JpaRepository<StockAdjustment, Long> {}
