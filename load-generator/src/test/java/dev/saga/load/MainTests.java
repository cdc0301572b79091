package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTests {

  @Test
  void refusesUnknownOptionsAndCommandsWithTheUsageStatus() {
    assertThat(Main.run(new String[] {"--rate", "50", "--rat", "60"})).isEqualTo(64);
    assertThat(Main.run(new String[] {"launch"})).isEqualTo(64);
    assertThat(Main.run(new String[] {"--duration", "soon"})).isEqualTo(64);
    assertThat(Main.run(new String[] {"replay", "--topics", "orders"})).isEqualTo(64);
  }

  @Test
  void printsTheUsageForHelpWhereverItIsAndRunsNothing() {
    assertThat(Main.run(new String[] {"--help"})).isZero();
    assertThat(Main.run(new String[] {"-h"})).isZero();
    assertThat(Main.run(new String[] {"help"})).isZero();
    assertThat(Main.run(new String[] {"check", "--help"})).isZero();
    assertThat(Main.run(new String[] {"--rate", "50", "--help"})).isZero();
  }

  @Test
  void readsDurationsFlagsAndDefaultPortsShiftedByTheOffset() {
    Main.Options options =
        Main.Options.parse(
            List.of("--duration", "90s", "--warmup=2m", "--cost", "--port-offset", "1000"));

    assertThat(options.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
    assertThat(options.duration("warmup", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
    assertThat(options.duration("timeout", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.flag("cost")).isTrue();
    assertThat(options.flag("check")).isFalse();
    assertThat(options.endpoints().order()).hasToString("http://localhost:9081");
    assertThat(options.endpoints().paymentDatabase().jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost:6432/payment_service");
    assertThat(options.kafka()).isEqualTo("localhost:10092");
    assertThat(options.processPorts())
        .containsEntry("notification-service", 9084)
        .containsEntry("postgres", 6432)
        .containsEntry("kafka", 10092)
        .containsEntry("smtp", 2025);
  }
}
