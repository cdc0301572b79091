package dev.saga.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fails the build when a schema changes in a way the previous release's producers or consumers
 * could not handle. The previous release is {@code src/test/resources/schema-baseline}; replacing a
 * file there is the deliberate act of releasing a changed schema.
 */
class SchemaCompatibilityTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path BASELINE = Path.of("src/test/resources/schema-baseline");

  static Stream<Path> baselineSchemas() throws IOException {
    return Files.list(BASELINE).filter(file -> file.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest
  @MethodSource("baselineSchemas")
  void everyReleasedSchemaIsStillCompatible(Path released) throws IOException {
    JsonNode previous = JSON.readTree(released.toFile());
    JsonNode current = current(released.getFileName().toString());

    assertThat(SchemaCompatibility.breakingChanges(previous, current)).isEmpty();
  }

  @Test
  void everyEventTypeHasAReleasedBaseline() {
    for (EventType type : EventType.values()) {
      String file = type.wireName() + ".v" + type.version() + ".json";
      assertThat(BASELINE.resolve(file)).as("baseline of " + type).exists();
    }
  }

  @Test
  void addingAnOptionalPropertyIsCompatible() {
    ObjectNode changed = orderPlaced();
    changed.withObject("properties").putObject("note").put("type", "string");

    assertThat(SchemaCompatibility.breakingChanges(orderPlaced(), changed)).isEmpty();
  }

  @Test
  void addingARequiredPropertyBreaks() {
    ObjectNode changed = orderPlaced();
    changed.withObject("properties").putObject("note").put("type", "string");
    changed.withArray("required").add("note");

    assertThat(SchemaCompatibility.breakingChanges(orderPlaced(), changed))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("/required");
  }

  @Test
  void removingAPropertyBreaks() {
    ObjectNode changed = orderPlaced();
    changed.withObject("properties").remove("currency");

    assertThat(SchemaCompatibility.breakingChanges(orderPlaced(), changed))
        .contains("/properties/currency: removed");
  }

  @Test
  void changingANestedTypeBreaks() {
    ObjectNode changed = orderPlaced();
    changed
        .withObject("properties")
        .withObject("items")
        .withObject("items")
        .withObject("properties")
        .withObject("quantity")
        .put("type", "string");

    assertThat(SchemaCompatibility.breakingChanges(orderPlaced(), changed))
        .anyMatch(
            problem -> problem.startsWith("/properties/items/items/properties/quantity/type"));
  }

  @Test
  void addingAnEnumValueBreaksOldConsumers() {
    JsonNode previous = current("CancelOrder.v1.json");
    ObjectNode changed = (ObjectNode) previous.deepCopy();
    changed.withObject("properties").withObject("reason").withArray("enum").add("FRAUD");

    assertThat(SchemaCompatibility.breakingChanges(previous, changed))
        .anyMatch(problem -> problem.startsWith("/properties/reason/enum"));
  }

  @Test
  void narrowingASharedDefinitionBreaks() {
    ObjectNode changed = orderPlaced();
    changed.withObject("$defs").withObject("id").put("pattern", "^[A-Z]{1,8}$");

    assertThat(SchemaCompatibility.breakingChanges(orderPlaced(), changed))
        .anyMatch(problem -> problem.startsWith("/$defs/id/pattern"));
  }

  @Test
  void forbiddingUnknownFieldsBreaks() {
    ObjectNode changed = orderPlaced();
    changed.put("additionalProperties", false);

    assertThat(SchemaCompatibility.breakingChanges(orderPlaced(), changed))
        .containsExactly("/additionalProperties: unknown fields are no longer allowed");
  }

  private static ObjectNode orderPlaced() {
    return (ObjectNode) current("OrderPlaced.v1.json");
  }

  private static JsonNode current(String file) {
    try (InputStream in =
        SchemaCompatibilityTests.class.getResourceAsStream("/dev/saga/events/schemas/" + file)) {
      assertThat(in).as("current schema " + file).isNotNull();
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
