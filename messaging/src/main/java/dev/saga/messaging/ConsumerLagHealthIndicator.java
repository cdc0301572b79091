package dev.saga.messaging;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/** Part of the quiet state: {@code BUSY} while any listener's group has unconsumed records. */
class ConsumerLagHealthIndicator implements HealthIndicator {

  private final KafkaListenerEndpointRegistry listeners;
  private final ConsumerLag consumerLag;

  ConsumerLagHealthIndicator(KafkaListenerEndpointRegistry listeners, ConsumerLag consumerLag) {
    this.listeners = listeners;
    this.consumerLag = consumerLag;
  }

  @Override
  public Health health() {
    Map<String, Map<String, Long>> lagging = new TreeMap<>();
    long total = 0;
    for (MessageListenerContainer container : listeners.getListenerContainers()) {
      String[] topics = container.getContainerProperties().getTopics();
      if (topics == null || container.getGroupId() == null) {
        continue;
      }
      for (var entry : consumerLag.of(container.getGroupId(), Arrays.asList(topics)).entrySet()) {
        if (entry.getValue() > 0) {
          total += entry.getValue();
          lagging
              .computeIfAbsent(container.getGroupId(), group -> new TreeMap<>())
              .put(entry.getKey().toString(), entry.getValue());
        }
      }
    }
    return (total == 0 ? Health.up() : Health.status(QuietState.BUSY))
        .withDetail("lag", total)
        .withDetail("partitions", lagging)
        .build();
  }
}
