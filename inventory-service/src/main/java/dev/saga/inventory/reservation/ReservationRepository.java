package dev.saga.inventory.reservation;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ReservationRepository extends JpaRepository<Reservation, UUID> {

  /**
   * Opens the order's reservation unless it exists; concurrent first events of one order both
   * succeed, and then serialize on the row lock of {@link #findForUpdate}.
   */
  @Modifying
  @Query(
      value =
          """
          insert into reservations (order_id, status, created_at, updated_at)
          values (:orderId, 'NEW', :at, :at)
          on conflict do nothing
          """,
      nativeQuery = true)
  int insertIfAbsent(UUID orderId, Instant at);

  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select r from Reservation r where r.orderId = :orderId")
  Optional<Reservation> findForUpdate(UUID orderId);
}
