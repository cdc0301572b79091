package dev.saga.order.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** Readiness waits for the catalog as it was at startup, then stays ready. */
class CatalogHealthIndicatorTests {

  private static final TopicPartition P0 = new TopicPartition("catalog", 0);
  private static final TopicPartition P1 = new TopicPartition("catalog", 1);

  private final Map<TopicPartition, Long> end = new HashMap<>(Map.of(P0, 5L, P1, 0L));
  private final Map<TopicPartition, Long> positions = new HashMap<>(Map.of(P0, 0L, P1, 0L));
  private final AtomicInteger endOffsetReads = new AtomicInteger();

  private final CatalogHealthIndicator indicator =
      new CatalogHealthIndicator(
          () -> {
            endOffsetReads.incrementAndGet();
            return Map.copyOf(end);
          },
          () -> Map.copyOf(positions));

  @Test
  void isDownWhileAPartitionIsBehindTheEndOffsetsSeenAtStartup() {
    indicator.snapshotEndOffsets();
    positions.put(P0, 4L);

    var health = indicator.health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("behind", Map.of("catalog-0", 1L));
  }

  @Test
  void isUpOnceEveryPartitionReachedTheSnapshotEvenIfTheTopicGrewSince() {
    indicator.snapshotEndOffsets();
    end.put(P0, 100L);
    positions.put(P0, 5L);

    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    assertThat(endOffsetReads).hasValue(1);
  }

  @Test
  void staysUpOnceCaughtUp() {
    positions.put(P0, 5L);
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

    positions.put(P0, 0L);

    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void takesTheSnapshotOnTheFirstCheckIfStartupCouldNotReadIt() {
    end.put(P0, 2L);
    positions.put(P0, 1L);

    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    positions.put(P0, 2L);
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    assertThat(endOffsetReads).hasValue(1);
  }

  @Test
  void aPartitionTheGroupHasNotCommittedIsBehindUnlessItIsEmpty() {
    positions.clear();
    end.put(P0, 0L);

    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
  }
}
