package dev.saga.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class InfrastructureKindTests {

  @Test
  void autoTakesTestcontainersWhenDockerAnswers() {
    assertThat(InfrastructureKind.select("auto", () -> true))
        .isEqualTo(InfrastructureKind.TESTCONTAINERS);
  }

  @Test
  void autoTakesEmbeddedServersWithoutDocker() {
    assertThat(InfrastructureKind.select("auto", () -> false))
        .isEqualTo(InfrastructureKind.EMBEDDED);
  }

  @Test
  void unsetMeansAuto() {
    assertThat(InfrastructureKind.select(null, () -> false)).isEqualTo(InfrastructureKind.EMBEDDED);
    assertThat(InfrastructureKind.select(" ", () -> true))
        .isEqualTo(InfrastructureKind.TESTCONTAINERS);
  }

  @Test
  void embeddedCanBeForcedEvenWithDocker() {
    assertThat(InfrastructureKind.select("embedded", () -> true))
        .isEqualTo(InfrastructureKind.EMBEDDED);
  }

  @Test
  void testcontainersCanBeForcedWithoutAskingDocker() {
    assertThat(
            InfrastructureKind.select(
                "TestContainers",
                () -> {
                  throw new AssertionError("Docker need not be asked when the kind is forced");
                }))
        .isEqualTo(InfrastructureKind.TESTCONTAINERS);
  }

  @Test
  void anythingElseIsAClearError() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> InfrastructureKind.select("h2", () -> false))
        .withMessageContaining("auto, embedded or testcontainers");
  }
}
