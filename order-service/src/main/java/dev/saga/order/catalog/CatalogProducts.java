package dev.saga.order.catalog;

import java.math.BigDecimal;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface CatalogProducts extends JpaRepository<CatalogProduct, String> {

  /** Active products priced in {@code currency}, by id. */
  List<CatalogProduct> findByActiveTrueAndCurrencyOrderByProductId(
      String currency, Pageable pageable);

  /**
   * Stores the product unless a version at least as new is stored already: changes of one product
   * can be replayed or arrive twice, and the highest version wins.
   *
   * @return 1 if the row was inserted or updated, 0 if the stored version was newer or the same
   */
  @Modifying
  @Query(
      nativeQuery = true,
      value =
          """
          insert into catalog_products (product_id, name, price, currency, active, version)
          values (:productId, :name, :price, :currency, :active, :version)
          on conflict (product_id) do update
            set name = excluded.name, price = excluded.price, currency = excluded.currency,
                active = excluded.active, version = excluded.version
            where catalog_products.version < excluded.version
          """)
  int upsert(
      String productId,
      String name,
      BigDecimal price,
      String currency,
      boolean active,
      long version);
}
