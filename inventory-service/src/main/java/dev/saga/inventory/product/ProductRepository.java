package dev.saga.inventory.product;

import jakarta.persistence.LockModeType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** Products, loaded with a row lock whenever their stock or definition changes. */
public interface ProductRepository extends JpaRepository<Product, String> {

  /**
   * Creates the product undefined (no stock, version 0) unless it exists; two concurrent creations
   * of one id both succeed, and then serialize on the row lock of {@link #findForUpdate}.
   */
  @Modifying
  @Query(
      value =
          """
          insert into products (id, name, price, currency, active, available, reserved, sold,
                                version, created_at, updated_at)
          values (:id, :name, :price, :currency, :active, 0, 0, 0, 0, :at, :at)
          on conflict do nothing
          """,
      nativeQuery = true)
  int insertIfAbsent(
      String id, String name, BigDecimal price, String currency, boolean active, Instant at);

  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select p from Product p where p.id = :id")
  Optional<Product> findForUpdate(String id);

  /** Locks the rows in id order: transactions that lock several products never deadlock. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select p from Product p where p.id in :ids order by p.id")
  List<Product> findAllForUpdate(Collection<String> ids);

  /** The products with these ids that exist, locked in id order, by id. */
  default Map<String, Product> lockAll(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return findAllForUpdate(ids).stream()
        .collect(Collectors.toMap(Product::getId, Function.identity()));
  }
}
