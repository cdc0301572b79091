package dev.saga.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * How far consumer groups are behind: per partition, the end offset minus the group's committed
 * offset (or the log start offset, where the group has committed nothing yet).
 */
public class ConsumerLag implements DisposableBean {

  private static final long TIMEOUT_SECONDS = 5;

  private final KafkaAdmin kafkaAdmin;
  private volatile Admin admin;

  ConsumerLag(KafkaAdmin kafkaAdmin) {
    this.kafkaAdmin = kafkaAdmin;
  }

  /** The lag of {@code group} on every partition of {@code topics}. */
  public Map<TopicPartition, Long> of(String group, Collection<String> topics) {
    Map<TopicPartition, Long> end = offsets(topics, OffsetSpec.latest());
    Map<TopicPartition, Long> position = positions(group, topics);
    Map<TopicPartition, Long> lag = new HashMap<>();
    end.forEach(
        (partition, endOffset) ->
            lag.put(partition, Math.max(0, endOffset - position.get(partition))));
    return lag;
  }

  /**
   * Where {@code group} stands on every partition of {@code topics}: its committed offset, or the
   * log start offset where it has committed nothing.
   */
  public Map<TopicPartition, Long> positions(String group, Collection<String> topics) {
    Map<TopicPartition, Long> positions = offsets(topics, OffsetSpec.earliest());
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    positions.replaceAll(
        (partition, start) -> {
          OffsetAndMetadata offset = committed.get(partition);
          return offset == null ? start : Math.max(start, offset.offset());
        });
    return positions;
  }

  /** How many records each of {@code topics} holds now: end minus start offsets, summed. */
  public Map<String, Long> records(Collection<String> topics) {
    Map<TopicPartition, Long> start = offsets(topics, OffsetSpec.earliest());
    Map<String, Long> records = new HashMap<>();
    offsets(topics, OffsetSpec.latest())
        .forEach(
            (partition, end) ->
                records.merge(
                    partition.topic(),
                    Math.max(0, end - start.getOrDefault(partition, 0L)),
                    Long::sum));
    return records;
  }

  /** The end offset of every partition of {@code topics}, now. */
  public Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
    return offsets(topics, OffsetSpec.latest());
  }

  private Map<TopicPartition, Long> offsets(Collection<String> topics, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request =
        await(admin().describeTopics(topics).allTopicNames()).values().stream()
            .flatMap(
                topic ->
                    topic.partitions().stream()
                        .map(partition -> new TopicPartition(topic.name(), partition.partition())))
            .collect(Collectors.toMap(Function.identity(), partition -> spec));
    Map<TopicPartition, ListOffsetsResultInfo> result = await(admin().listOffsets(request).all());
    Map<TopicPartition, Long> offsets = new HashMap<>();
    result.forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }

  private Admin admin() {
    if (admin == null) {
      synchronized (this) {
        if (admin == null) {
          admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        }
      }
    }
    return admin;
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading offsets", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot read offsets: " + e.getMessage(), e);
    }
  }

  @Override
  public void destroy() {
    if (admin != null) {
      admin.close();
    }
  }
}
