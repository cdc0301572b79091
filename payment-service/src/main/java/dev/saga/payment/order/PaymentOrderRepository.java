package dev.saga.payment.order;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** The payment record of every order payment has heard of. */
interface PaymentOrderRepository extends JpaRepository<PaymentOrder, UUID> {

  /** The order's record, locked ({@code SELECT … FOR UPDATE}) until the transaction ends. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select o from PaymentOrder o where o.orderId = :orderId")
  Optional<PaymentOrder> lock(UUID orderId);

  /**
   * Creates the order's record unless it exists; the first event of an order on either topic
   * creates it, and concurrent calls serialize on the primary key instead of failing.
   */
  @Modifying
  @Query(
      value =
          """
          insert into payment_orders (order_id, customer_id, currency, status)
          values (:orderId, :customerId, :currency, 'PENDING')
          on conflict do nothing
          """,
      nativeQuery = true)
  void createIfAbsent(UUID orderId, String customerId, String currency);

  @Query("select p from PaymentOrder o join o.payments p where o.orderId = :orderId order by p.at")
  List<Payment> findPayments(UUID orderId);
}
