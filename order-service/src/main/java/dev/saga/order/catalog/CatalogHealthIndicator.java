package dev.saga.order.catalog;

import dev.saga.events.Topics;
import dev.saga.messaging.ConsumerLag;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;

/**
 * Part of readiness: {@code DOWN} until the catalog read model has caught up with the end of the
 * {@code catalog} topic as it was when the service started, then {@code UP} for good, so the
 * service takes no order it would reject for a product it has simply not read yet.
 */
@Component("catalogHealthIndicator")
class CatalogHealthIndicator implements HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(CatalogHealthIndicator.class);

  private final Supplier<Map<TopicPartition, Long>> endOffsets;
  private final Supplier<Map<TopicPartition, Long>> positions;
  private volatile Map<TopicPartition, Long> startupEndOffsets;
  private volatile boolean caughtUp;

  @Autowired
  CatalogHealthIndicator(ConsumerLag consumerLag, KafkaListenerEndpointRegistry listeners) {
    this(
        () -> consumerLag.endOffsets(List.of(Topics.CATALOG)),
        () ->
            consumerLag.positions(
                listeners.getListenerContainer(CatalogListener.ID).getGroupId(),
                List.of(Topics.CATALOG)));
  }

  /**
   * @param endOffsets the end offsets of the catalog topic, now
   * @param positions where the catalog consumer group stands on each partition, now
   */
  CatalogHealthIndicator(
      Supplier<Map<TopicPartition, Long>> endOffsets,
      Supplier<Map<TopicPartition, Long>> positions) {
    this.endOffsets = endOffsets;
    this.positions = positions;
  }

  /** Takes the snapshot as soon as the service has started, before the first probe asks. */
  @EventListener(ApplicationStartedEvent.class)
  void snapshotEndOffsets() {
    try {
      startupEndOffsets();
    } catch (RuntimeException e) {
      log.warn("Cannot read the catalog's end offsets yet; the readiness check will retry", e);
    }
  }

  @Override
  public Health health() {
    if (caughtUp) {
      return Health.up().build();
    }
    Map<TopicPartition, Long> target = startupEndOffsets();
    Map<TopicPartition, Long> current = positions.get();
    Map<String, Long> behind = new TreeMap<>();
    target.forEach(
        (partition, end) -> {
          long remaining = end - current.getOrDefault(partition, 0L);
          if (remaining > 0) {
            behind.put(partition.toString(), remaining);
          }
        });
    if (behind.isEmpty()) {
      caughtUp = true;
      return Health.up().build();
    }
    return Health.down().withDetail("behind", behind).build();
  }

  private Map<TopicPartition, Long> startupEndOffsets() {
    if (startupEndOffsets == null) {
      synchronized (this) {
        if (startupEndOffsets == null) {
          startupEndOffsets = Map.copyOf(endOffsets.get());
        }
      }
    }
    return startupEndOffsets;
  }
}
