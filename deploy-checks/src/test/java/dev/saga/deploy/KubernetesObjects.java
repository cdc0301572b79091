package dev.saga.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a Kustomize overlay with {@code kubectl kustomize} and reads every object strictly: as
 * its fabric8 (Kubernetes) or Strimzi model class, or against a vendored JSON Schema (KEDA), with
 * unknown fields, unknown kinds and mistyped values rejected.
 */
final class KubernetesObjects {

  /** The model class of every kind the manifests may contain, by {@code apiVersion/kind}. */
  private static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
          Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
          Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
          Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class));

  /** Kinds without a Java model: their vendored JSON Schema (see schemas/README.md). */
  private static final Map<String, String> SCHEMAS =
      Map.of(
          "keda.sh/v1alpha1/ScaledObject", "schemas/keda-ScaledObject.schema.json",
          "keda.sh/v1alpha1/TriggerAuthentication",
              "schemas/keda-TriggerAuthentication.schema.json");

  private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

  /** Reads into the models: no coercion of "8081" into a number, no unknown properties. */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /**
   * Writes the models back without their catch-all "additionalProperties" (both fabric8 and Strimzi
   * keep unknown fields there instead of failing): a field of the input that does not come back out
   * is one the model does not have.
   */
  private static final ObjectMapper WITHOUT_UNKNOWN =
      JsonMapper.builder()
          .annotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnyGetter(Annotated annotated) {
                  return Boolean.FALSE;
                }

                @Override
                public JsonInclude.Value findPropertyInclusion(Annotated annotated) {
                  // Defaults and empty values too: a known field must come back out.
                  return JsonInclude.Value.construct(
                      JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS);
                }
              })
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .build();

  private static final SchemaRegistry SCHEMA_REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

  private KubernetesObjects() {}

  /** The overlays under k8s/overlays. */
  static List<String> overlays() {
    try (var entries = Files.list(Repository.path("k8s/overlays"))) {
      return entries
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects {@code kubectl kustomize k8s/overlays/<overlay>} renders, as JSON trees. */
  static List<JsonNode> render(String overlay) {
    return RENDERED.computeIfAbsent(overlay, KubernetesObjects::kustomize);
  }

  private static List<JsonNode> kustomize(String overlay) {
    Path directory = Repository.path("k8s/overlays/" + overlay);
    try {
      Path output = Files.createTempFile("kustomize-" + overlay, ".yaml");
      Path errors = Files.createTempFile("kustomize-" + overlay, ".err");
      Process process =
          new ProcessBuilder("kubectl", "kustomize", directory.toString())
              .redirectOutput(output.toFile())
              .redirectError(errors.toFile())
              .start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl kustomize " + directory + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "kubectl kustomize " + directory + " failed:\n" + Files.readString(errors));
      }
      List<JsonNode> objects = new ArrayList<>();
      YAMLMapper yaml = new YAMLMapper(new YAMLFactory());
      try (var parser = yaml.getFactory().createParser(Files.readString(output))) {
        Iterator<JsonNode> documents = yaml.readValues(parser, JsonNode.class);
        documents.forEachRemaining(
            document -> {
              if (document != null && !document.isNull() && !document.isEmpty()) {
                objects.add(document);
              }
            });
      }
      return List.copyOf(objects);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String typeOf(JsonNode object) {
    return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
  }

  static String describe(JsonNode object) {
    return typeOf(object) + " " + object.path("metadata").path("name").asText();
  }

  /**
   * Every problem with {@code object} against its schema; empty when it is valid. Unknown kinds,
   * unknown fields (at any depth), mistyped values and, for schema-checked kinds, missing required
   * fields are problems.
   */
  static List<String> violations(JsonNode object) {
    String type = typeOf(object);
    if (MODELS.containsKey(type)) {
      return modelViolations(object, MODELS.get(type));
    }
    if (SCHEMAS.containsKey(type)) {
      Schema schema =
          SCHEMA_REGISTRY.getSchema(SchemaLocation.of("classpath:" + SCHEMAS.get(type)));
      return schema.validate(object.toString(), InputFormat.JSON).stream()
          .map(error -> describe(object) + ": " + error)
          .toList();
    }
    return List.of(describe(object) + ": no schema for " + type + " (add its model or schema)");
  }

  private static List<String> modelViolations(JsonNode object, Class<?> model) {
    Object typed;
    try {
      typed = STRICT.treeToValue(object, model);
    } catch (IOException | IllegalArgumentException e) {
      return List.of(describe(object) + ": " + e.getMessage());
    }
    JsonNode written = WITHOUT_UNKNOWN.valueToTree(typed);
    List<String> unknown = new ArrayList<>();
    unknownFields(object, written, "", unknown);
    return unknown.stream()
        .map(
            path ->
                describe(object) + ": unknown field " + path + " (not in " + model.getName() + ")")
        .toList();
  }

  private static void unknownFields(
      JsonNode input, JsonNode written, String path, List<String> unknown) {
    if (input.isObject()) {
      for (Map.Entry<String, JsonNode> field : input.properties()) {
        String fieldPath = path + "/" + field.getKey();
        if (field.getValue().isNull()) {
          continue;
        }
        if (written == null || !written.has(field.getKey())) {
          unknown.add(fieldPath);
        } else {
          unknownFields(field.getValue(), written.get(field.getKey()), fieldPath, unknown);
        }
      }
    } else if (input.isArray() && written != null && written.isArray()) {
      for (int i = 0; i < input.size(); i++) {
        unknownFields(input.get(i), written.get(i), path + "/" + i, unknown);
      }
    }
  }

  /** {@code object} as its model class (call {@link #violations} first). */
  static <T> T as(JsonNode object, Class<T> model) {
    try {
      return STRICT.treeToValue(object, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects of one kind in {@code overlay}, as their model class. */
  static <T> List<T> ofKind(String overlay, Class<T> model) {
    String type =
        MODELS.entrySet().stream()
            .filter(entry -> entry.getValue().equals(model))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    return render(overlay).stream()
        .filter(o -> typeOf(o).equals(type))
        .map(o -> as(o, model))
        .toList();
  }

  /** The objects of a schema-checked kind (e.g. {@code keda.sh/v1alpha1/ScaledObject}). */
  static List<JsonNode> ofType(String overlay, String type) {
    return render(overlay).stream().filter(o -> typeOf(o).equals(type)).toList();
  }
}
