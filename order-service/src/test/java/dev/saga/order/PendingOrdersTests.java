package dev.saga.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.events.ProductChanged;
import dev.saga.test.KafkaProbe;
import dev.saga.test.ServiceTest;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The count the order service admits new orders by: pending orders only. Each test runs in one
 * repeatable-read transaction that it rolls back, so the other tests' orders, decided or cancelled
 * by the deadline meanwhile, cannot change what it counts.
 */
@ServiceTest
class PendingOrdersTests {

  @Autowired PendingOrders pending;
  @Autowired OrderService orders;
  @Autowired EntityManager entityManager;
  @Autowired JdbcClient jdbc;
  @Autowired PlatformTransactionManager transactionManager;

  @Test
  void countsAnOrderWhileItIsPendingAndNotOnceItIsDecided() {
    ProductChanged product = TestCatalog.product("3.00");
    try (KafkaProbe kafka = KafkaProbe.onSharedBroker()) {
      new TestCatalog(kafka, jdbc).publish(product);
    }
    TransactionTemplate snapshot = new TransactionTemplate(transactionManager);
    snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);

    snapshot.executeWithoutResult(
        status -> {
          PendingOrders.Count before = pending.count();
          Order order =
              orders
                  .place(
                      new PlaceOrder(
                          "C-" + UUID.randomUUID(),
                          List.of(new PlaceOrder.Item(product.productId(), 1))))
                  .order();

          PendingOrders.Count placed = pending.count();
          assertThat(placed.orders()).isEqualTo(before.orders() + 1);
          assertThat(placed.oldest()).get().matches(oldest -> !oldest.isAfter(order.createdAt()));

          orders.cancelByCustomer(order.id());
          entityManager.flush();

          assertThat(pending.count()).isEqualTo(before);
          status.setRollbackOnly();
        });
  }
}
