package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saga.deploy.SagaTopology.Permission;
import dev.saga.deploy.SagaTopology.TopicSpec;
import dev.saga.events.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Kustomize overlay renders, every object it renders is valid against its schema, and the
 * manifests agree with the services' code: ports, health groups, settings, topics, ACLs, labels.
 */
class KubernetesManifestsTests {

  /** Where the services' configtree (SPRING_CONFIG_IMPORT) is mounted. */
  private static final String CONFIG_IMPORT = "SPRING_CONFIG_IMPORT";

  static Stream<String> overlays() {
    return KubernetesObjects.overlays().stream();
  }

  @Test
  void hasALocalAndAProductionOverlay() {
    assertThat(KubernetesObjects.overlays()).contains("local", "production");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyRenderedObjectIsValidAgainstItsSchema(String overlay) {
    List<JsonNode> objects = KubernetesObjects.render(overlay);
    assertThat(objects).isNotEmpty();
    List<String> violations =
        objects.stream().flatMap(o -> KubernetesObjects.violations(o).stream()).toList();
    assertThat(violations).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void containerPortsAreTheServersPort(String overlay) {
    for (SagaService service : SagaService.values()) {
      Container container = container(overlay, service);
      String port =
          ServiceCode.of(service).effectiveValue("server.port", environment(overlay, service));
      assertThat(container.getPorts())
          .as("%s container ports in %s", service, overlay)
          .extracting(ContainerPort::getContainerPort)
          .containsExactly(Integer.valueOf(port));
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void probesAskHealthGroupsTheServiceExposes(String overlay) {
    for (SagaService service : SagaService.values()) {
      ServiceCode code = ServiceCode.of(service);
      Container container = container(overlay, service);
      assertThat(code.exposedEndpoints()).contains("health");
      String base = code.actuatorBasePath() + "/health/";
      assertThat(group(container.getLivenessProbe(), base)).isEqualTo("liveness");
      assertThat(group(container.getReadinessProbe(), base)).isEqualTo("readiness");
      for (Probe probe :
          List.of(
              container.getStartupProbe(),
              container.getLivenessProbe(),
              container.getReadinessProbe())) {
        assertThat(code.healthGroups())
            .as("%s health groups", service)
            .contains(group(probe, base));
        assertThat(probe.getHttpGet().getPort().getStrVal())
            .as("%s probes use the named http port", service)
            .isEqualTo("http");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everySettingIsOneTheServiceReads(String overlay) {
    for (SagaService service : SagaService.values()) {
      ServiceCode code = ServiceCode.of(service);
      assertThat(settings(overlay, service))
          .as("settings of %s in %s", service, overlay)
          .isNotEmpty()
          .allSatisfy(
              name -> assertThat(code.reads(name)).as("%s reads %s", service, name).isTrue());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void credentialsComeFromSecretFilesOnly(String overlay) {
    for (SagaService service : SagaService.values()) {
      Map<String, String> environment = environment(overlay, service);
      assertThat(environment.keySet())
          .as("%s: no credential in a ConfigMap or env value", service)
          .noneMatch(name -> name.matches("(?i).*(password|secret|jaas|credential).*"));
      assertThat(configTreeFiles(overlay, service).keySet())
          .contains(
              "DATABASE_USERNAME", "DATABASE_PASSWORD", "spring.kafka.properties.sasl.jaas.config");
      Container container = container(overlay, service);
      assertThat(container.getEnv()).allSatisfy(env -> assertThat(env.getValueFrom()).isNull());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyReferencedSecretIsRenderedOrCreatedByAnOperatorOrDocumented(String overlay) {
    Set<String> rendered = names(KubernetesObjects.ofKind(overlay, Secret.class));
    Set<String> kafkaUsers = names(KubernetesObjects.ofKind(overlay, KafkaUser.class));
    String readme = Repository.read("k8s/README.md");
    for (String secret : referencedSecrets(overlay)) {
      boolean provided =
          rendered.contains(secret) || kafkaUsers.contains(secret) || readme.contains(secret);
      assertThat(provided).as("Secret %s referenced in %s is provided", secret, overlay).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void eachServiceUsesItsOwnDatabaseWithTheDatabasesCredentials(String overlay) {
    Set<String> servers = new TreeSet<>();
    for (SagaService service : SagaService.values()) {
      java.util.regex.Matcher url =
          java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)")
              .matcher(environment(overlay, service).get("DATABASE_URL"));
      assertThat(url.matches()).as("%s DATABASE_URL", service).isTrue();
      assertThat(url.group(3)).isEqualTo(service.database());
      servers.add(url.group(1));
      Service database =
          KubernetesObjects.ofKind(overlay, Service.class).stream()
              .filter(s -> s.getMetadata().getName().equals(url.group(1)))
              .findFirst()
              .orElseThrow(() -> new AssertionError("No Service " + url.group(1)));
      assertThat(database.getSpec().getPorts())
          .extracting(ServicePort::getPort)
          .contains(Integer.valueOf(url.group(2)));
      PodTemplateSpec pod =
          selected(podTemplates(overlay), database.getSpec().getSelector()).getFirst();
      Container postgres = pod.getSpec().getContainers().getFirst();
      Map<String, String> env = new HashMap<>();
      postgres.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
      assertThat(env).containsEntry("POSTGRES_DB", url.group(3));
      String credentials =
          pod.getSpec().getVolumes().stream()
              .filter(v -> v.getSecret() != null)
              .map(v -> v.getSecret().getSecretName())
              .findFirst()
              .orElseThrow();
      assertThat(configTreeFiles(overlay, service))
          .containsEntry("DATABASE_USERNAME", credentials + "/username")
          .containsEntry("DATABASE_PASSWORD", credentials + "/password");
    }
    assertThat(servers).as("one PostgreSQL per service").hasSize(SagaService.values().length);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void podsMeetTheRestrictedPodSecurityStandard(String overlay) {
    for (PodTemplateSpec template : podTemplates(overlay).values()) {
      PodSpec pod = template.getSpec();
      String name = template.getMetadata().getLabels().get("app.kubernetes.io/name");
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .as(name)
          .isEqualTo("RuntimeDefault");
      assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
      assertThat(pod.getInitContainers()).as(name).isEmpty();
      for (Container container : pod.getContainers()) {
        var security = container.getSecurityContext();
        assertThat(security.getAllowPrivilegeEscalation()).as(name).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).as(name).isTrue();
        assertThat(security.getRunAsNonRoot()).as(name).isTrue();
        assertThat(security.getCapabilities().getDrop()).as(name).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).as(name).isEmpty();
        assertThat(security.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
        assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
        assertThat(container.getVolumeMounts())
            .as("%s has a writable /tmp on its read-only root", name)
            .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
      }
      assertThat(pod.getVolumes())
          .filteredOn(volume -> volume.getHostPath() != null)
          .as("%s mounts no host path", name)
          .isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void servicesRunAsTheImagesNonRootUser(String overlay) {
    String user = Dockerfile.read().finalStage().last("USER").orElseThrow().arguments();
    for (SagaService service : SagaService.values()) {
      var security =
          deployment(overlay, service).getSpec().getTemplate().getSpec().getSecurityContext();
      assertThat(security.getRunAsUser() + ":" + security.getRunAsGroup()).isEqualTo(user);
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void servicesShutDownGracefullyAfterAPreStopPause(String overlay) {
    for (SagaService service : SagaService.values()) {
      PodSpec pod = deployment(overlay, service).getSpec().getTemplate().getSpec();
      Container container = container(overlay, service);
      int pause = container.getLifecycle().getPreStop().getSleep().getSeconds().intValue();
      assertThat(pause).as("%s preStop pause", service).isBetween(5, 30);
      // Spring Boot's graceful shutdown waits up to spring.lifecycle.timeout-per-shutdown-phase.
      Duration shutdown =
          Duration.parse(
              "PT"
                  + ServiceCode.of(service)
                      .applicationYaml()
                      .getOrDefault("spring.lifecycle.timeout-per-shutdown-phase", "30s")
                      .toUpperCase(java.util.Locale.ROOT));
      assertThat(pod.getTerminationGracePeriodSeconds())
          .as("%s grace period covers the pause and the graceful shutdown", service)
          .isGreaterThan(pause + shutdown.toSeconds());
      assertThat(ServiceCode.of(service).applicationYaml().get("server.shutdown"))
          .as("%s keeps Spring Boot's graceful shutdown", service)
          .isNotEqualTo("immediate");
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void selectorsMatchTheirPodsAndServicePortsTheirContainers(String overlay) {
    Map<String, PodTemplateSpec> pods = podTemplates(overlay);
    for (Deployment deployment : KubernetesObjects.ofKind(overlay, Deployment.class)) {
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    }
    for (StatefulSet statefulSet : KubernetesObjects.ofKind(overlay, StatefulSet.class)) {
      assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(statefulSet.getSpec().getSelector().getMatchLabels());
      assertThat(names(KubernetesObjects.ofKind(overlay, Service.class)))
          .contains(statefulSet.getSpec().getServiceName());
    }
    for (Service service : KubernetesObjects.ofKind(overlay, Service.class)) {
      if ("ExternalName".equals(service.getSpec().getType())) {
        continue;
      }
      List<PodTemplateSpec> selected = selected(pods, service.getSpec().getSelector());
      assertThat(selected).as("pods of Service %s", service.getMetadata().getName()).hasSize(1);
      Set<String> containerPorts = new TreeSet<>();
      selected.getFirst().getSpec().getContainers().stream()
          .flatMap(c -> c.getPorts().stream())
          .forEach(p -> containerPorts.add(p.getName()));
      for (ServicePort port : service.getSpec().getPorts()) {
        assertThat(containerPorts)
            .as("Service %s targetPort", service.getMetadata().getName())
            .contains(port.getTargetPort().getStrVal());
      }
    }
    for (PodDisruptionBudget budget :
        KubernetesObjects.ofKind(overlay, PodDisruptionBudget.class)) {
      assertThat(selected(pods, budget.getSpec().getSelector().getMatchLabels()))
          .as("pods of PodDisruptionBudget %s", budget.getMetadata().getName())
          .hasSize(1);
    }
    for (SagaService service : SagaService.values()) {
      assertThat(names(KubernetesObjects.ofKind(overlay, PodDisruptionBudget.class)))
          .contains(service.id());
      assertThat(
              deployment(overlay, service)
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getServiceAccountName())
          .isIn(
              names(
                  KubernetesObjects.ofKind(
                      overlay, io.fabric8.kubernetes.api.model.ServiceAccount.class)));
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theIngressExposesTheOrderApiAndItsOpenApiDocs(String overlay) {
    List<Ingress> ingresses = KubernetesObjects.ofKind(overlay, Ingress.class);
    assertThat(ingresses).hasSize(1);
    Map<String, String> backends = new LinkedHashMap<>();
    for (var rule : ingresses.getFirst().getSpec().getRules()) {
      for (HTTPIngressPath path : rule.getHttp().getPaths()) {
        backends.put(
            path.getPath(),
            path.getBackend().getService().getName()
                + ":"
                + path.getBackend().getService().getPort().getName());
      }
    }
    assertThat(backends)
        .containsEntry("/api/orders", "order-service:http")
        .containsEntry("/v3/api-docs", "order-service:http")
        .containsEntry("/swagger-ui.html", "order-service:http");
    Service orderService =
        KubernetesObjects.ofKind(overlay, Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals("order-service"))
            .findFirst()
            .orElseThrow();
    assertThat(orderService.getSpec().getPorts()).extracting(ServicePort::getName).contains("http");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void kafkaTopicsAreExactlyTheTopicsTheCodeUsesWithTheirPartitions(String overlay) {
    Map<String, TopicSpec> declared = new TreeMap<>();
    for (KafkaTopic topic : KubernetesObjects.ofKind(overlay, KafkaTopic.class)) {
      String name =
          Objects.requireNonNullElse(topic.getSpec().getTopicName(), topic.getMetadata().getName());
      boolean compacted =
          "compact".equals(String.valueOf(topic.getSpec().getConfig().get("cleanup.policy")));
      declared.put(name, new TopicSpec(name, topic.getSpec().getPartitions(), compacted));
      assertThat(topic.getMetadata().getLabels())
          .containsEntry("strimzi.io/cluster", kafka(overlay).getMetadata().getName());
    }
    assertThat(declared).isEqualTo(SagaTopology.requiredTopics());
    assertThat(SagaTopology.usedTopics())
        .as("every topic of dev.saga.events.Topics is used by the code")
        .containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topics.Topic::name).toList());
  }

  @Test
  void productionReplicatesTopicsThreeTimesAndNeedsTwoInSyncReplicas() {
    for (KafkaTopic topic : KubernetesObjects.ofKind("production", KafkaTopic.class)) {
      assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
      assertThat(topic.getSpec().getConfig()).containsEntry("min.insync.replicas", 2);
    }
    Map<String, Object> config = kafka("production").getSpec().getKafka().getConfig();
    assertThat(config)
        .containsEntry("min.insync.replicas", 2)
        .containsEntry("default.replication.factor", 3);
    int brokers =
        KubernetesObjects.ofKind("production", KafkaNodePool.class).stream()
            .filter(pool -> pool.getSpec().getRoles().contains(ProcessRoles.BROKER))
            .mapToInt(pool -> pool.getSpec().getReplicas())
            .sum();
    assertThat(brokers).isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void topicsAreNotReplicatedMoreThanTheBrokersCanHold(String overlay) {
    int brokers =
        KubernetesObjects.ofKind(overlay, KafkaNodePool.class).stream()
            .filter(pool -> pool.getSpec().getRoles().contains(ProcessRoles.BROKER))
            .mapToInt(pool -> pool.getSpec().getReplicas())
            .sum();
    for (KafkaTopic topic : KubernetesObjects.ofKind(overlay, KafkaTopic.class)) {
      assertThat(topic.getSpec().getReplicas()).isLessThanOrEqualTo(brokers);
      assertThat((Integer) topic.getSpec().getConfig().get("min.insync.replicas"))
          .isLessThanOrEqualTo(topic.getSpec().getReplicas());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void kafkaRunsInKraftModeWithNodePoolsAndAuthenticatedClients(String overlay) {
    Kafka kafka = kafka(overlay);
    assertThat(kafka.getMetadata().getAnnotations())
        .containsEntry("strimzi.io/node-pools", "enabled")
        .containsEntry("strimzi.io/kraft", "enabled");
    assertThat(kafka.getSpec().getKafka().getConfig())
        .containsEntry("auto.create.topics.enable", false);
    assertThat(kafka.getSpec().getKafka().getAuthorization().getType()).isEqualTo("simple");
    List<KafkaNodePool> pools = KubernetesObjects.ofKind(overlay, KafkaNodePool.class);
    assertThat(pools.stream().flatMap(p -> p.getSpec().getRoles().stream()))
        .contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
    assertThat(pools)
        .allSatisfy(
            pool ->
                assertThat(pool.getMetadata().getLabels())
                    .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName()));
    String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:";
    var listener = kafka.getSpec().getKafka().getListeners().getFirst();
    for (SagaService service : SagaService.values()) {
      Map<String, String> environment = environment(overlay, service);
      assertThat(environment.get("KAFKA_BOOTSTRAP_SERVERS"))
          .isEqualTo(bootstrap + listener.getPort());
      assertThat(listener.getAuth().getType()).isEqualTo("scram-sha-512");
      assertThat(environment)
          .containsEntry(
              "SPRING_KAFKA_SECURITY_PROTOCOL", listener.isTls() ? "SASL_SSL" : "SASL_PLAINTEXT")
          .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
          .containsEntry("SAGA_MESSAGING_TOPICS_CREATE", "false");
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void eachKafkaUserMayUseExactlyTheTopicsAndGroupsOfItsServicesCode(String overlay) {
    Map<String, KafkaUser> users = new HashMap<>();
    KubernetesObjects.ofKind(overlay, KafkaUser.class)
        .forEach(u -> users.put(u.getMetadata().getName(), u));
    assertThat(users.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(SagaService.values()).map(SagaService::id).toList());
    for (SagaService service : SagaService.values()) {
      KafkaUser user = users.get(service.id());
      assertThat(user.getSpec().getAuthentication().getType()).isEqualTo("scram-sha-512");
      Set<Permission> granted = new TreeSet<>(java.util.Comparator.comparing(Permission::toString));
      for (AclRule rule :
          ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
        String type;
        String name;
        String pattern;
        if (rule.getResource() instanceof AclRuleTopicResource topic) {
          type = "topic";
          name = topic.getName();
          pattern = topic.getPatternType().toValue();
        } else if (rule.getResource() instanceof AclRuleGroupResource group) {
          type = "group";
          name = group.getName();
          pattern = group.getPatternType().toValue();
        } else {
          throw new AssertionError(service + " has an ACL on " + rule.getResource().getType());
        }
        assertThat(pattern).as("%s ACL on %s", service, name).isEqualTo("literal");
        assertThat(rule.getType() == null || rule.getType().toValue().equals("allow")).isTrue();
        rule.getOperations().forEach(op -> granted.add(new Permission(type, name, op.toValue())));
      }
      assertThat(granted).as("ACLs of %s", service).isEqualTo(SagaTopology.permissions(service));
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void consumersScaleOnTheirLagUpToThePartitionCount(String overlay) {
    Map<String, JsonNode> scaledObjects = new HashMap<>();
    KubernetesObjects.ofType(overlay, "keda.sh/v1alpha1/ScaledObject")
        .forEach(
            o -> scaledObjects.put(o.path("spec").path("scaleTargetRef").path("name").asText(), o));
    Set<String> authentications =
        new TreeSet<>(
            KubernetesObjects.ofType(overlay, "keda.sh/v1alpha1/TriggerAuthentication").stream()
                .map(o -> o.path("metadata").path("name").asText())
                .toList());
    for (SagaService service : SagaService.values()) {
      JsonNode scaledObject = scaledObjects.get(service.id());
      assertThat(scaledObject).as("ScaledObject of %s", service).isNotNull();
      JsonNode spec = scaledObject.path("spec");
      ServiceCode code = ServiceCode.of(service);
      Set<ServiceCode.Consumption> consumptions = code.consumptions();
      List<String> triggered = new ArrayList<>();
      for (JsonNode trigger : spec.path("triggers")) {
        if (!trigger.path("type").asText().equals("kafka")) {
          continue;
        }
        JsonNode metadata = trigger.path("metadata");
        String topic = metadata.path("topic").asText();
        String group = metadata.path("consumerGroup").asText();
        assertThat(consumptions)
            .as("%s consumes %s as %s", service, topic, group)
            .contains(new ServiceCode.Consumption(topic, group));
        assertThat(spec.path("maxReplicaCount").asInt())
            .as("%s replicas capped at the partitions of %s", service, topic)
            .isLessThanOrEqualTo(Topics.named(topic).orElseThrow().partitions());
        assertThat(metadata.path("allowIdleConsumers").asText()).isEqualTo("false");
        assertThat(metadata.path("bootstrapServers").asText())
            .isEqualTo(environment(overlay, service).get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(authentications)
            .contains(trigger.path("authenticationRef").path("name").asText());
        triggered.add(topic + "/" + group);
      }
      String mainGroup = code.consumerGroups().contains(service.id()) ? service.id() : null;
      List<String> expected =
          consumptions.stream()
              .filter(c -> c.group().equals(mainGroup))
              .map(c -> c.topic() + "/" + c.group())
              .toList();
      assertThat(triggered)
          .as("lag triggers of %s", service)
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(spec.path("minReplicaCount").asInt())
          .isBetween(1, spec.path("maxReplicaCount").asInt());
      assertThat(deployment(overlay, service).getSpec().getReplicas())
          .as("%s leaves its replica count to the ScaledObject", service)
          .isNull();
    }
  }

  @Test
  void productionKeepsTwoReplicasOfEveryService() {
    for (JsonNode scaledObject :
        KubernetesObjects.ofType("production", "keda.sh/v1alpha1/ScaledObject")) {
      assertThat(scaledObject.path("spec").path("minReplicaCount").asInt())
          .isGreaterThanOrEqualTo(2);
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theCurrencyIsTheSameForEveryService(String overlay) {
    Set<String> currencies = new TreeSet<>();
    for (SagaService service : SagaService.values()) {
      currencies.add(
          ServiceCode.of(service).effectiveValue("saga.currency", environment(overlay, service)));
    }
    assertThat(currencies).hasSize(1);
  }

  // --- the rendered objects of one service ---

  static Deployment deployment(String overlay, SagaService service) {
    return KubernetesObjects.ofKind(overlay, Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals(service.id()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No Deployment " + service + " in " + overlay));
  }

  static Container container(String overlay, SagaService service) {
    List<Container> containers =
        deployment(overlay, service).getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.getFirst();
  }

  /** The environment the container gets: its ConfigMaps (envFrom) and its env entries. */
  static Map<String, String> environment(String overlay, SagaService service) {
    Container container = container(overlay, service);
    Map<String, ConfigMap> configMaps = new HashMap<>();
    KubernetesObjects.ofKind(overlay, ConfigMap.class)
        .forEach(c -> configMaps.put(c.getMetadata().getName(), c));
    Map<String, String> environment = new TreeMap<>();
    for (var source : container.getEnvFrom()) {
      assertThat(source.getSecretRef()).as("%s reads no Secret as environment", service).isNull();
      ConfigMap configMap = configMaps.get(source.getConfigMapRef().getName());
      assertThat(configMap).as("ConfigMap %s", source.getConfigMapRef().getName()).isNotNull();
      environment.putAll(configMap.getData());
    }
    container.getEnv().forEach(env -> environment.put(env.getName(), env.getValue()));
    return environment;
  }

  /** The Secret files the service reads as properties: file name to "secret/key". */
  static Map<String, String> configTreeFiles(String overlay, SagaService service) {
    String configImport = environment(overlay, service).get(CONFIG_IMPORT);
    assertThat(configImport)
        .as("%s imports a configtree", service)
        .startsWith("optional:configtree:");
    String directory = configImport.substring("optional:configtree:".length()).replaceAll("/$", "");
    Container container = container(overlay, service);
    VolumeMount mount =
        container.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().replaceAll("/$", "").equals(directory))
            .findFirst()
            .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + directory));
    assertThat(mount.getReadOnly()).isTrue();
    Volume volume =
        deployment(overlay, service).getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    Map<String, String> files = new TreeMap<>();
    if (volume.getProjected() != null) {
      for (var source : volume.getProjected().getSources()) {
        assertThat(source.getConfigMap())
            .as("%s: only Secrets in the configtree", service)
            .isNull();
        for (var item : source.getSecret().getItems()) {
          files.put(item.getPath(), source.getSecret().getName() + "/" + item.getKey());
        }
      }
    } else {
      for (var item : volume.getSecret().getItems()) {
        files.put(item.getPath(), volume.getSecret().getSecretName() + "/" + item.getKey());
      }
    }
    return files;
  }

  /** Every configuration name the service gets: environment and configtree file names. */
  static Set<String> settings(String overlay, SagaService service) {
    Set<String> settings = new TreeSet<>(environment(overlay, service).keySet());
    settings.addAll(configTreeFiles(overlay, service).keySet());
    return settings;
  }

  private static String group(Probe probe, String base) {
    assertThat(probe).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get).isNotNull();
    assertThat(get.getPath()).startsWith(base);
    return get.getPath().substring(base.length());
  }

  private static Kafka kafka(String overlay) {
    List<Kafka> clusters = KubernetesObjects.ofKind(overlay, Kafka.class);
    assertThat(clusters).hasSize(1);
    return clusters.getFirst();
  }

  private static Map<String, PodTemplateSpec> podTemplates(String overlay) {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
    KubernetesObjects.ofKind(overlay, Deployment.class)
        .forEach(
            d ->
                templates.put(
                    "Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate()));
    KubernetesObjects.ofKind(overlay, StatefulSet.class)
        .forEach(
            s ->
                templates.put(
                    "StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate()));
    return templates;
  }

  private static List<PodTemplateSpec> selected(
      Map<String, PodTemplateSpec> pods, Map<String, String> selector) {
    assertThat(selector).isNotEmpty();
    return pods.values().stream()
        .filter(pod -> pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .toList();
  }

  private static Set<String> referencedSecrets(String overlay) {
    Set<String> secrets = new TreeSet<>();
    for (PodTemplateSpec template : podTemplates(overlay).values()) {
      for (Volume volume : template.getSpec().getVolumes()) {
        if (volume.getSecret() != null) {
          secrets.add(volume.getSecret().getSecretName());
        }
        if (volume.getProjected() != null) {
          volume.getProjected().getSources().stream()
              .filter(s -> s.getSecret() != null)
              .forEach(s -> secrets.add(s.getSecret().getName()));
        }
      }
    }
    for (JsonNode authentication :
        KubernetesObjects.ofType(overlay, "keda.sh/v1alpha1/TriggerAuthentication")) {
      authentication
          .path("spec")
          .path("secretTargetRef")
          .forEach(ref -> secrets.add(ref.path("name").asText()));
    }
    return secrets;
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Set<String> names(
      List<T> objects) {
    Set<String> names = new TreeSet<>();
    objects.forEach(o -> names.add(o.getMetadata().getName()));
    return names;
  }
}
