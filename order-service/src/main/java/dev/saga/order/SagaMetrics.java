package dev.saga.order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The saga's metrics: orders by status and orders past the deadline (read from the database every
 * {@code saga.order.metrics-refresh-interval}), and, as decisions commit, outcomes by reason and
 * the time from placing an order to its outcome.
 */
@Component
class SagaMetrics implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(SagaMetrics.class);

  private final JdbcClient jdbc;
  private final MeterRegistry meters;
  private final OrderProperties settings;
  private final Map<OrderStatus, AtomicLong> byStatus = new EnumMap<>(OrderStatus.class);
  private final AtomicLong overdue = new AtomicLong();

  SagaMetrics(JdbcClient jdbc, MeterRegistry meters, OrderProperties settings) {
    this.jdbc = jdbc;
    this.meters = meters;
    this.settings = settings;
    for (OrderStatus status : OrderStatus.values()) {
      AtomicLong count = new AtomicLong();
      byStatus.put(status, count);
      Gauge.builder("saga.orders", count, AtomicLong::get)
          .description("Orders by status")
          .tag("status", status.name())
          .register(meters);
    }
    Gauge.builder("saga.orders.overdue", overdue, AtomicLong::get)
        .description("Orders still PENDING after the saga deadline: the deadline job is behind")
        .register(meters);
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(this::refresh, settings.metricsRefreshInterval());
  }

  void refresh() {
    try {
      Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
      jdbc.sql("select status, count(*) as orders from orders group by status")
          .query(
              rs -> {
                counts.put(OrderStatus.valueOf(rs.getString("status")), rs.getLong("orders"));
              });
      byStatus.forEach((status, count) -> count.set(counts.getOrDefault(status, 0L)));
      overdue.set(
          jdbc.sql(
                  """
                  select count(*) from orders
                  where status = 'PENDING' and created_at < now() - make_interval(secs => ?)
                  """)
              .param(settings.deadline().toMillis() / 1000.0)
              .query(Long.class)
              .single());
    } catch (RuntimeException e) {
      log.debug("Cannot count orders for the saga metrics", e);
    }
  }

  /** Counts a decided outcome and times its saga, once the decision committed. */
  @TransactionalEventListener
  void on(OrderActivity activity) {
    if (!activity.decided()) {
      return;
    }
    OrderSummary order = activity.order();
    String outcome = order.status().name();
    String reason = order.cancellationReason() == null ? "NONE" : order.cancellationReason().name();
    Counter.builder("saga.order.outcomes")
        .description("Orders decided, by outcome and cancellation reason")
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(meters)
        .increment();
    Timer.builder("saga.order.duration")
        .description("Time from placing an order (POST /api/orders) to its outcome")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(meters)
        .record(Duration.between(order.createdAt(), order.updatedAt()));
  }
}
