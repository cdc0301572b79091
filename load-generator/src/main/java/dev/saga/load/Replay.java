package dev.saga.load;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Rewinds a consumer group to the start of topics, so that the service redelivers every record it
 * has already applied once it starts again (invariant 5: nothing may change). Kafka only lets a
 * group with no live members be rewound: stop the service first.
 */
public final class Replay {

  private Replay() {}

  /** Rewinds {@code group} on every topic it has committed offsets on. */
  public static Map<TopicPartition, Long> fromStart(String bootstrapServers, String group) {
    return fromStart(bootstrapServers, group, java.util.List.of());
  }

  /**
   * Sets the committed offsets of {@code group} on every partition of {@code topics} (every topic
   * it has committed offsets on, when empty) to the partition's earliest offset.
   *
   * @return how many records each partition will deliver again
   * @throws IllegalStateException if the group has live members
   */
  public static Map<TopicPartition, Long> fromStart(
      String bootstrapServers, String group, Collection<String> topics) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(config)) {
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(java.util.List.of(group)).all().get().get(group);
      if (!description.members().isEmpty()) {
        throw new IllegalStateException(
            "Consumer group "
                + group
                + " has "
                + description.members().size()
                + " live members: stop the service before replaying");
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Collection<String> rewind =
          topics.isEmpty()
              ? committed.keySet().stream().map(TopicPartition::topic).distinct().toList()
              : topics;
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      admin
          .describeTopics(rewind)
          .allTopicNames()
          .get()
          .forEach(
              (topic, info) ->
                  info.partitions()
                      .forEach(
                          partition ->
                              earliest.put(
                                  new TopicPartition(topic, partition.partition()),
                                  OffsetSpec.earliest())));
      Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all().get();
      Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
      Map<TopicPartition, Long> redelivered = new HashMap<>();
      starts.forEach(
          (partition, start) -> {
            rewound.put(partition, new OffsetAndMetadata(start.offset()));
            OffsetAndMetadata current = committed.get(partition);
            redelivered.put(
                partition, current == null ? 0 : Math.max(0, current.offset() - start.offset()));
          });
      admin.alterConsumerGroupOffsets(group, rewound).all().get();
      return redelivered;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Could not rewind " + group + " on " + topics + ": " + e.getCause().getMessage(),
          e.getCause());
    }
  }
}
