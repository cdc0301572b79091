package dev.saga.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each event type has a valid JSON Schema that describes exactly its record. */
class EventSchemasTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaIsAValidDraft202012Schema(EventType type) throws IOException {
    Schema metaSchema =
        REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    String schema = new String(read(type).toString());

    assertThat(metaSchema.validate(schema, InputFormat.JSON)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaIsIdentifiedByTheEventsDataSchema(EventType type) throws IOException {
    JsonNode schema = read(type);

    assertThat(schema.get("$id").asString()).isEqualTo(type.dataSchema());
    assertThat(schema.get("title").asString()).isEqualTo(type.wireName());
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaPropertiesAreTheRecordsComponents(EventType type) throws IOException {
    JsonNode schema = read(type);

    assertThat(properties(schema)).isEqualTo(components(type.javaType()));
    assertThat(schema.get("required").valueStream().map(JsonNode::asString))
        .allMatch(properties(schema)::contains);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyEventTravelsOnAKnownTopic(EventType type) {
    assertThat(Topics.named(type.topic())).isPresent();
  }

  @org.junit.jupiter.api.Test
  void orderLinesAreDescribedByTheirSchema() throws IOException {
    JsonNode line = read(EventType.ORDER_PLACED).at("/properties/items/items");

    assertThat(properties(line)).isEqualTo(components(OrderPlaced.Line.class));
  }

  private static Set<String> properties(JsonNode schema) {
    return new TreeSet<>(schema.get("properties").propertyNames());
  }

  private static Set<String> components(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .map(RecordComponent::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static JsonNode read(EventType type) throws IOException {
    try (InputStream in =
        EventType.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
      assertThat(in).as(type.schemaResource()).isNotNull();
      return JSON.readTree(in);
    }
  }
}
