package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compose and every Kubernetes overlay give each service the same settings, and services that read
 * a setting all get it.
 */
class SettingsParityTests {

  /**
   * Settings only Kubernetes needs: how the service finds its Secret files, and the SASL login
   * Strimzi's authenticated listener requires (the compose broker has no authentication).
   */
  static final Set<String> KUBERNETES_ONLY =
      Set.of(
          "SPRING_CONFIG_IMPORT",
          "SPRING_KAFKA_SECURITY_PROTOCOL",
          "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM",
          "spring.kafka.properties.sasl.jaas.config");

  private final ComposeFile compose = ComposeFile.read();

  static java.util.stream.Stream<String> overlays() {
    return KubernetesManifestsTests.overlays();
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void composeAndEveryOverlaySetTheSameSettings(SagaService service) {
    Set<String> composed = new TreeSet<>(compose.environment(service.id()).keySet());
    for (String overlay : KubernetesObjects.overlays()) {
      Set<String> deployed = new TreeSet<>(KubernetesManifestsTests.settings(overlay, service));
      assertThat(deployed).as("%s in %s", service, overlay).containsAll(KUBERNETES_ONLY);
      deployed.removeAll(KUBERNETES_ONLY);
      assertThat(deployed)
          .as("%s: %s against docker-compose.yml", service, overlay)
          .isEqualTo(composed);
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void aSettingGivenToOneServiceIsGivenToEveryServiceThatReadsIt(String overlay) {
    for (SagaService service : SagaService.values()) {
      for (SagaService other : SagaService.values()) {
        for (String setting : KubernetesManifestsTests.settings(overlay, service)) {
          if (ServiceCode.of(other).reads(setting) && !KUBERNETES_ONLY.contains(setting)) {
            assertThat(KubernetesManifestsTests.settings(overlay, other))
                .as("%s reads %s, which %s gets in %s", other, setting, service, overlay)
                .contains(setting);
          }
        }
        for (String setting : compose.environment(service.id()).keySet()) {
          if (ServiceCode.of(other).reads(setting)) {
            assertThat(compose.environment(other.id()).keySet())
                .as("%s reads %s, which %s gets in docker-compose.yml", other, setting, service)
                .contains(setting);
          }
        }
      }
    }
  }
}
