package dev.saga.order;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Cancels every order still {@code PENDING} after the saga deadline, every {@code
 * saga.order.deadline-check-interval}; safe to run on several instances at once.
 */
@Component
class SagaDeadline implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(SagaDeadline.class);

  private final OrderService orders;
  private final OrderProperties settings;

  SagaDeadline(OrderService orders, OrderProperties settings) {
    this.orders = orders;
    this.settings = settings;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(this::cancelOverdueOrders, settings.deadlineCheckInterval());
  }

  void cancelOverdueOrders() {
    try {
      // A full batch means more may be waiting; each batch commits on its own.
      while (orders.cancelOverdueOrders() == OrderService.DEADLINE_BATCH) {
        log.debug("Cancelled a full batch of overdue orders, looking for more");
      }
    } catch (RuntimeException e) {
      // The next run retries; an order is cancelled late, never twice.
      log.warn("Could not cancel overdue orders", e);
    }
  }
}
