package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.saga.load.Mix.Kind;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MixTests {

  @Test
  void readsWeightsByKindAndWritesThemBack() {
    Mix mix = Mix.parse("paid=70, out-of-stock=10,declined=10,cancel=5,hot=5");

    assertThat(mix.weight(Kind.PAID)).isEqualTo(70);
    assertThat(mix.weight(Kind.OUT_OF_STOCK)).isEqualTo(10);
    assertThat(mix).hasToString("paid=70,out-of-stock=10,declined=10,cancel=5,hot=5");
    assertThat(Mix.parse(mix.toString())).isEqualTo(mix);
  }

  @Test
  void leavesKindsItDoesNotNameOut() {
    Mix mix = Mix.parse("hot=1");

    Random random = new Random(1);
    for (int i = 0; i < 100; i++) {
      assertThat(mix.pick(random)).isEqualTo(Kind.HOT);
    }
  }

  @Test
  void picksEachKindAsOftenAsItsWeightSays() {
    Mix mix = Mix.parse("paid=60,declined=30,cancel=10");
    Map<Kind, Integer> picked = new EnumMap<>(Kind.class);
    Random random = new Random(42);

    for (int i = 0; i < 100_000; i++) {
      picked.merge(mix.pick(random), 1, Integer::sum);
    }

    assertThat(picked).containsOnlyKeys(Kind.PAID, Kind.DECLINED, Kind.CANCEL);
    assertThat(picked.get(Kind.PAID)).isBetween(59_000, 61_000);
    assertThat(picked.get(Kind.DECLINED)).isBetween(29_000, 31_000);
    assertThat(picked.get(Kind.CANCEL)).isBetween(9_500, 10_500);
  }

  @Test
  void refusesUnknownKindsMalformedPairsAndAllZeroWeights() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Mix.parse("paid=1,lost=2"))
        .withMessageContaining("Unknown kind of order 'lost'");
    assertThatIllegalArgumentException().isThrownBy(() -> Mix.parse("paid"));
    assertThatIllegalArgumentException().isThrownBy(() -> Mix.parse("paid=0,hot=0"));
    assertThatIllegalArgumentException().isThrownBy(() -> Mix.parse("paid=-1,hot=2"));
  }
}
