package dev.saga.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.saga.events.EventType;
import dev.saga.events.SagaEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The wire format of event payloads: camelCase JSON, money as a string with exactly two decimals,
 * absent optional fields omitted, unknown fields ignored, and every payload checked against its
 * type's JSON Schema in both directions, so nothing invalid is published or applied.
 */
public final class EventCodec {

  private static final EventCodec INSTANCE = new EventCodec();

  private final JsonMapper json;
  private final Map<EventType, Schema> schemas = new EnumMap<>(EventType.class);

  private EventCodec() {
    SimpleModule money =
        new SimpleModule("money")
            .addSerializer(BigDecimal.class, new MoneySerializer())
            .addDeserializer(BigDecimal.class, new MoneyDeserializer());
    this.json =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(
                inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .addModule(money)
            .build();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    for (EventType type : EventType.values()) {
      schemas.put(type, registry.getSchema(readSchema(type)));
    }
  }

  /** The codec; it is immutable and thread-safe. */
  public static EventCodec instance() {
    return INSTANCE;
  }

  /** The payload of {@code event} as JSON bytes, after checking it against its schema. */
  public byte[] encode(SagaEvent event) {
    EventType type = EventType.of(event);
    JsonNode tree;
    try {
      tree = json.valueToTree(event);
    } catch (JacksonException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "Cannot write " + type.wireName() + ": " + e.getMessage(), e);
    }
    List<Error> errors = schemas.get(type).validate(tree);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          type.wireName() + " does not match " + type.dataSchema() + ": " + messages(errors));
    }
    return json.writeValueAsBytes(tree);
  }

  /**
   * The event of {@code type} in {@code payload}.
   *
   * @throws InvalidEventException if the payload is not JSON, or not valid against the schema
   */
  public SagaEvent decode(EventType type, byte[] payload) {
    JsonNode tree;
    try {
      tree = json.readTree(payload);
    } catch (JacksonException e) {
      throw new InvalidEventException(
          type.wireName() + " payload is not JSON: " + e.getOriginalMessage(), e);
    }
    List<Error> errors = schemas.get(type).validate(tree);
    if (!errors.isEmpty()) {
      throw new InvalidEventException(
          type.wireName()
              + " payload does not match "
              + type.dataSchema()
              + ": "
              + messages(errors));
    }
    try {
      return json.treeToValue(tree, type.javaType());
    } catch (JacksonException e) {
      throw new InvalidEventException(
          type.wireName() + " payload cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  private static String messages(List<Error> errors) {
    return errors.stream().map(Error::getMessage).toList().toString();
  }

  private static InputStream readSchema(EventType type) {
    InputStream in = EventType.class.getClassLoader().getResourceAsStream(type.schemaResource());
    if (in == null) {
      throw new UncheckedIOException(new IOException("Missing schema " + type.schemaResource()));
    }
    return in;
  }

  /** Money is a JSON string with exactly two decimals; a third decimal is an error, not rounded. */
  private static final class MoneySerializer extends ValueSerializer<BigDecimal> {
    @Override
    public void serialize(BigDecimal value, JsonGenerator gen, SerializationContext context) {
      gen.writeString(value.setScale(2, RoundingMode.UNNECESSARY).toPlainString());
    }
  }

  private static final class MoneyDeserializer extends ValueDeserializer<BigDecimal> {
    @Override
    public BigDecimal deserialize(JsonParser parser, DeserializationContext context) {
      return new BigDecimal(parser.getValueAsString());
    }
  }
}
