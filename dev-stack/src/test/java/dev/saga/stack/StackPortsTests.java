package dev.saga.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StackPortsTests {

  @Test
  void freePortsAreFreeDistinctAndBelowTheEphemeralRange() {
    int ephemeral = Platform.ephemeralPortsFrom();

    List<Integer> ports =
        IntStream.range(0, 50).boxed().flatMap(i -> StackPorts.free().all()).toList();

    assertThat(ports).hasSize(500).doesNotHaveDuplicates().allMatch(Platform::isFree);
    assertThat(ports).allMatch(port -> port < ephemeral, "below " + ephemeral);
  }

  /** Picked at random from ~18,000 ports, 500 picks would repeat one almost surely without it. */
  @Test
  void aFreePortIsNeverHandedOutTwice() {
    Set<Integer> seen = new HashSet<>(StackPorts.free().all().toList());

    for (int i = 0; i < 500; i++) {
      assertThat(seen.add(StackPorts.freePort())).isTrue();
    }
  }

  @Test
  void aFreeOffsetHasEveryPortFreeAndBelowTheEphemeralRange() {
    int offset = StackPorts.freeOffset();

    assertThat(offset).isGreaterThanOrEqualTo(2_000).isEqualTo(offset / 100 * 100);
    assertThat(StackPorts.offset(offset).all().toList())
        .hasSize(10)
        .allMatch(Platform::isFree)
        .allMatch(port -> port < Platform.ephemeralPortsFrom());
  }
}
