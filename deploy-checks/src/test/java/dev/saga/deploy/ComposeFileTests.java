package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * docker-compose.yml is valid Compose, and what it runs matches the code: ports, settings, topics,
 * databases, health checks and start order.
 */
class ComposeFileTests {

  /** The Compose Specification's JSON Schema, vendored (see its README). */
  static final String COMPOSE_SPEC = "deploy-checks/src/test/resources/schemas/compose-spec.json";

  private final ComposeFile compose = ComposeFile.read();

  @Test
  void isValidAgainstTheComposeSpecification() {
    JsonMapper json = JsonMapper.builder().build();
    JsonNode specification = json.readTree(Repository.read(COMPOSE_SPEC));
    // This revision of the specification still names its subschemas with draft-04's "id", which
    // later dialects do not know; the names carry no constraint.
    withoutDraft4Ids(specification);
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
            .getSchema(specification);
    assertThat(schema.validate(json.writeValueAsString(compose.model()), InputFormat.JSON))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void buildsEachServiceFromTheDockerfileAndPublishesItsPort(SagaService service) {
    Map<String, Object> definition = compose.service(service.id());
    Map<String, Object> build = ComposeFile.map(definition.get("build"));
    assertThat(build.get("context")).isEqualTo(".");
    assertThat(build).doesNotContainKey("dockerfile");
    Map<String, Object> args = ComposeFile.map(build.get("args"));
    assertThat(args).containsEntry("SERVICE", service.id());
    String port =
        ServiceCode.of(service).effectiveValue("server.port", compose.environment(service.id()));
    assertThat(args.get("PORT")).isEqualTo(port);
    assertThat(compose.environment(service.id())).containsEntry("SERVER_PORT", port);
    assertThat(definition.get("ports")).isEqualTo(List.of(port + ":" + port));
    assertThat(definition.get("image")).isEqualTo("saga/" + service.id() + ":latest");
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void everySettingIsOneTheServiceReads(SagaService service) {
    ServiceCode code = ServiceCode.of(service);
    assertThat(compose.environment(service.id()).keySet())
        .isNotEmpty()
        .allSatisfy(name -> assertThat(code.reads(name)).as("%s reads %s", service, name).isTrue());
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void eachServiceHasItsOwnDatabaseAndUser(SagaService service) {
    Map<String, String> environment = compose.environment(service.id());
    assertThat(environment.get("DATABASE_URL"))
        .isEqualTo("jdbc:postgresql://postgres:5432/" + service.database());
    String databases = compose.environment("postgres").get("SERVICE_DATABASES");
    assertThat(databases.split("\\s+"))
        .contains(
            environment.get("DATABASE_USERNAME") + ":" + environment.get("DATABASE_PASSWORD"));
    assertThat(environment.get("DATABASE_USERNAME")).isEqualTo(service.database());
  }

  @Test
  void postgresCreatesOneDatabaseAndUserPerServiceOnFirstStart() {
    Map<String, Object> postgres = compose.service("postgres");
    assertThat(postgres.get("image")).isEqualTo("postgres:17");
    assertThat(postgres.get("volumes"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .contains(
            "./docker/postgres-create-databases.sh:/docker-entrypoint-initdb.d/10-create-databases.sh:ro");
    Set<String> names = new TreeSet<>();
    for (String entry : compose.environment("postgres").get("SERVICE_DATABASES").split("\\s+")) {
      names.add(entry.split(":")[0]);
    }
    Set<String> expected = new TreeSet<>();
    for (SagaService service : SagaService.values()) {
      expected.add(service.database());
    }
    assertThat(names).isEqualTo(expected);
    assertThat(Repository.read("docker/postgres-create-databases.sh"))
        .contains("CREATE ROLE", "CREATE DATABASE", "OWNER");
  }

  @Test
  void createsExactlyTheTopicsTheCodeUsesWithTheirPartitions() {
    assertThat(ComposeTopics.read()).isEqualTo(SagaTopology.requiredTopics());
    Map<String, Object> init = compose.service("kafka-init");
    assertThat(init.get("volumes"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .contains("./" + ComposeTopics.SCRIPT + ":/create-topics.sh:ro");
    assertThat(init.get("entrypoint")).isEqualTo(List.of("/bin/bash", "/create-topics.sh"));
    assertThat(compose.service("kafka").get("image")).isEqualTo(init.get("image"));
  }

  @Test
  void kafkaIsTheOfficialImageInKraftModeWithoutTopicAutoCreation() {
    Map<String, Object> kafka = compose.service("kafka");
    assertThat((String) kafka.get("image")).startsWith("apache/kafka:");
    Map<String, String> environment = compose.environment("kafka");
    assertThat(environment.get("KAFKA_PROCESS_ROLES")).contains("controller", "broker");
    assertThat(environment).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    for (SagaService service : SagaService.values()) {
      String bootstrap = compose.environment(service.id()).get("KAFKA_BOOTSTRAP_SERVERS");
      assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS")).contains("://" + bootstrap);
      assertThat(compose.environment(service.id()))
          .containsEntry("SAGA_MESSAGING_TOPICS_CREATE", "false");
    }
  }

  @Test
  void notificationsGoToMailpit() {
    Map<String, String> environment = compose.environment(SagaService.NOTIFICATION.id());
    assertThat(environment.get("SMTP_HOST")).isEqualTo("mailpit");
    assertThat(compose.service("mailpit").get("ports"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .contains(environment.get("SMTP_PORT") + ":" + environment.get("SMTP_PORT"), "8025:8025");
    assertThat(compose.dependsOn(SagaService.NOTIFICATION.id()))
        .containsEntry("mailpit", "service_healthy");
  }

  @Test
  void longRunningServicesHaveHealthChecksAndRestartPolicies() {
    for (String name : compose.serviceNames()) {
      Map<String, Object> service = compose.service(name);
      if (oneShot(name)) {
        assertThat(service.get("restart")).as(name).isEqualTo("no");
        continue;
      }
      assertThat(service.get("restart"))
          .as("%s restart policy", name)
          .isIn("unless-stopped", "always", "on-failure");
      if (!service.containsKey("profiles")) {
        assertThat(service).as("%s health check", name).containsKey("healthcheck");
      }
    }
    for (SagaService service : SagaService.values()) {
      Map<String, Object> healthcheck =
          ComposeFile.map(compose.service(service.id()).get("healthcheck"));
      assertThat(healthcheck.get("test")).isEqualTo(List.of("CMD", "/usr/local/bin/healthcheck"));
    }
  }

  @Test
  void servicesWaitForHealthyDependenciesAndCompletedInitJobs() {
    for (String name : compose.serviceNames()) {
      compose
          .dependsOn(name)
          .forEach(
              (dependency, condition) -> {
                String expected =
                    oneShot(dependency) ? "service_completed_successfully" : "service_healthy";
                assertThat(condition).as("%s waits for %s", name, dependency).isEqualTo(expected);
                assertThat(compose.service(dependency))
                    .containsKey(oneShot(dependency) ? "entrypoint" : "healthcheck");
              });
    }
    for (SagaService service : SagaService.values()) {
      assertThat(compose.dependsOn(service.id()))
          .containsEntry("kafka", "service_healthy")
          .containsEntry("kafka-init", "service_completed_successfully")
          .containsEntry("postgres", "service_healthy");
    }
  }

  @Test
  void optionalProfilesAddAKafkaWebUiAndTheObservabilityStack() {
    Map<String, Object> profiles = new TreeMap<>();
    for (String name : compose.serviceNames()) {
      if (compose.service(name).containsKey("profiles")) {
        profiles.put(name, compose.service(name).get("profiles"));
      }
    }
    assertThat(profiles)
        .containsOnly(
            Map.entry("kafka-ui", List.of("tools")),
            Map.entry("otel-collector", List.of("observability")),
            Map.entry("jaeger", List.of("observability")),
            Map.entry("prometheus", List.of("observability")),
            Map.entry("grafana", List.of("observability")));
    assertThat(compose.environment("kafka-ui").get("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"))
        .isEqualTo(compose.environment(SagaService.ORDER.id()).get("KAFKA_BOOTSTRAP_SERVERS"));
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void eachServiceExportsItsSpansToTheCollectorWhichHandsThemToJaeger(SagaService service) {
    Map<String, String> environment = compose.environment(service.id());
    URI endpoint =
        URI.create(environment.get("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT"));
    assertThat(environment.get("MANAGEMENT_TRACING_EXPORT_OTLP_ENABLED"))
        .isEqualTo("${SAGA_TRACING_EXPORT:-false}");
    assertThat(endpoint.getHost()).isEqualTo("otel-collector");
    assertThat(endpoint.getPath()).isEqualTo("/v1/traces");
    Map<String, Object> collector = yaml(mountedFile("otel-collector", "/etc/otelcol/config.yaml"));
    assertThat(path(collector, "receivers", "otlp", "protocols", "http", "endpoint"))
        .isEqualTo("0.0.0.0:" + endpoint.getPort());
    assertThat(path(collector, "exporters", "otlp/jaeger", "endpoint")).isEqualTo("jaeger:4317");
    assertThat(path(collector, "service", "pipelines", "traces", "exporters"))
        .isEqualTo(List.of("otlp/jaeger"));
    assertThat(compose.service("jaeger").get("ports")).isEqualTo(List.of("16686:16686"));
  }

  @ParameterizedTest
  @EnumSource(SagaService.class)
  void prometheusScrapesEachServiceWhereItServesItsMetrics(SagaService service) {
    Map<String, Object> prometheus =
        yaml(mountedFile("prometheus", "/etc/prometheus/prometheus.yml"));
    String port =
        ServiceCode.of(service).effectiveValue("server.port", compose.environment(service.id()));
    ServiceCode code = ServiceCode.of(service);
    assertThat(code.exposedEndpoints()).contains("prometheus");
    List<Map<String, Object>> jobs = ComposeFile.list(prometheus.get("scrape_configs"));
    assertThat(jobs)
        .anySatisfy(
            job -> {
              assertThat(job.get("job_name")).isEqualTo(service.id());
              assertThat(job.get("metrics_path"))
                  .isEqualTo(code.actuatorBasePath() + "/prometheus");
              assertThat(job.get("static_configs").toString()).contains(service.id() + ":" + port);
            });
  }

  @Test
  void prometheusLoadsTheAlertRulesForEveryFailureAnOperatorMustSee() {
    Map<String, Object> prometheus =
        yaml(mountedFile("prometheus", "/etc/prometheus/prometheus.yml"));
    List<?> ruleFiles = (List<?>) prometheus.get("rule_files");
    assertThat(ruleFiles).hasSize(1);
    Map<String, Object> rules = yaml(mountedFile("prometheus", (String) ruleFiles.getFirst()));
    List<String> alerts = new ArrayList<>();
    for (Map<String, Object> group : ComposeFile.list(rules.get("groups"))) {
      for (Map<String, Object> rule : ComposeFile.list(group.get("rules"))) {
        alerts.add((String) rule.get("alert"));
        assertThat((String) rule.get("expr")).as((String) rule.get("alert")).contains("saga_");
        assertThat(ComposeFile.map(rule.get("annotations"))).containsKeys("summary", "description");
      }
    }
    assertThat(alerts)
        .containsExactlyInAnyOrder(
            "OutboxOldestEventTooOld",
            "ConsumerLagGrowing",
            "DeadLetterTopicNotEmpty",
            "SagasStuck");
  }

  @Test
  void grafanaProvisionsPrometheusJaegerAndTheSagaDashboard() {
    Map<String, Object> datasources =
        yaml(mountedFile("grafana", "/etc/grafana/provisioning/datasources/saga.yaml"));
    Set<String> uids = new TreeSet<>();
    for (Map<String, Object> datasource : ComposeFile.list(datasources.get("datasources"))) {
      uids.add((String) datasource.get("uid"));
    }
    assertThat(uids).containsExactly("jaeger", "prometheus");
    Map<String, Object> provider =
        ComposeFile.list(
                yaml(mountedFile("grafana", "/etc/grafana/provisioning/dashboards/saga.yaml"))
                    .get("providers"))
            .getFirst();
    String dashboards = (String) ComposeFile.map(provider.get("options")).get("path");
    JsonNode dashboard =
        JsonMapper.builder()
            .build()
            .readTree(Repository.read(mountedFile("grafana", dashboards) + "/saga.json"));
    assertThat(dashboard.get("uid").asString()).isEqualTo("saga-overview");
    assertThat(dashboard.get("panels").valueStream())
        .isNotEmpty()
        .allSatisfy(
            panel -> {
              assertThat(uids).contains(panel.at("/datasource/uid").asString());
              assertThat(panel.get("targets").valueStream())
                  .allSatisfy(
                      target -> assertThat(target.get("expr").asString()).contains("saga_"));
            });
  }

  @Test
  void everyFileMountedIntoAContainerIsInTheRepository() {
    for (String name : compose.serviceNames()) {
      Object volumes = compose.service(name).get("volumes");
      if (volumes instanceof List<?> list) {
        for (Object volume : list) {
          String source = volume.toString().split(":")[0];
          if (source.startsWith("./")) {
            assertThat(Repository.root().resolve(source.substring(2)))
                .as("%s mounts %s", name, source)
                .exists();
          }
        }
      }
    }
  }

  /** The repository path {@code service} mounts at {@code target}, or under a mounted directory. */
  private String mountedFile(String service, String target) {
    for (Object volume : (List<?>) compose.service(service).get("volumes")) {
      String[] parts = volume.toString().split(":");
      if (target.equals(parts[1]) || target.startsWith(parts[1] + "/")) {
        return parts[0].substring(2) + target.substring(parts[1].length());
      }
    }
    throw new AssertionError(service + " mounts nothing at " + target);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String relative) {
    return (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(Repository.read(relative));
  }

  private static Object path(Map<String, Object> root, String... keys) {
    Object node = root;
    for (String key : keys) {
      node = ComposeFile.map(node).get(key);
    }
    return node;
  }

  @Test
  void theCurrencyAndBrokerAreTheSameForEveryService() {
    Map<String, Set<String>> values = new TreeMap<>();
    for (SagaService service : SagaService.values()) {
      Map<String, String> environment = compose.environment(service.id());
      values
          .computeIfAbsent("currency", k -> new TreeSet<>())
          .add(ServiceCode.of(service).effectiveValue("saga.currency", environment));
      values
          .computeIfAbsent("kafka", k -> new TreeSet<>())
          .add(environment.get("KAFKA_BOOTSTRAP_SERVERS"));
    }
    assertThat(values.values()).allSatisfy(set -> assertThat(set).hasSize(1));
  }

  private static void withoutDraft4Ids(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.path("id").isString()) {
        object.remove("id");
      }
      object.values().forEach(ComposeFileTests::withoutDraft4Ids);
    } else if (node.isArray()) {
      node.values().forEach(ComposeFileTests::withoutDraft4Ids);
    }
  }

  /** A job that runs to completion (restart "no", no health check), such as kafka-init. */
  private boolean oneShot(String name) {
    return "no".equals(compose.service(name).get("restart"));
  }
}
