package dev.saga.order;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface OrderRepository extends JpaRepository<Order, UUID> {

  /**
   * The order, its row locked until the transaction ends ({@code SELECT … FOR UPDATE}): everything
   * that changes one order (listeners, HTTP, the deadline job, other instances) takes this lock
   * first, so each decision sees the status the previous one committed.
   */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select o from Order o where o.id = :id")
  Optional<Order> findLocked(UUID id);

  Page<Order> findByCustomerId(String customerId, Pageable pageable);

  /** Orders still {@code PENDING} that were placed before {@code before}, oldest first. */
  @Query(
      "select o from Order o where o.status = dev.saga.order.OrderStatus.PENDING"
          + " and o.createdAt < :before order by o.createdAt")
  List<Order> findPendingSince(Instant before, Pageable pageable);

  /**
   * Locks and returns the ids of up to {@code limit} orders still {@code PENDING} after {@code
   * deadlineMillis}, oldest first. Rows another transaction holds are skipped: another instance's
   * deadline job, or a listener deciding the order right now.
   */
  @Query(
      nativeQuery = true,
      value =
          """
          select id from orders
          where status = 'PENDING'
            and created_at < now() - make_interval(secs => :deadlineMillis / 1000.0)
          order by created_at
          limit :limit
          for update skip locked
          """)
  List<UUID> lockOverdue(long deadlineMillis, int limit);
}
