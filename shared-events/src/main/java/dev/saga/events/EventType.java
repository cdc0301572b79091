package dev.saga.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The wire identity of every event: its stable type name ({@code ce_type}), schema version ({@code
 * ce_dataschema}), topic and Java record. Wire names never derive from Java class names.
 */
public enum EventType {
  ORDER_PLACED("OrderPlaced", 1, OrderPlaced.class, Topics.ORDERS),
  ORDER_CONFIRMED("OrderConfirmed", 1, OrderConfirmed.class, Topics.ORDERS),
  CANCEL_ORDER("CancelOrder", 1, CancelOrder.class, Topics.ORDERS),
  INVENTORY_UPDATED("InventoryUpdated", 1, InventoryUpdated.class, Topics.INVENTORY),
  PRODUCT_CHANGED("ProductChanged", 1, ProductChanged.class, Topics.CATALOG),
  PAYMENT_PROCESSED("PaymentProcessed", 1, PaymentProcessed.class, Topics.PAYMENTS),
  NOTIFICATION_SENT("NotificationSent", 1, NotificationSent.class, Topics.NOTIFICATIONS);

  private static final String SCHEMA_URN_PREFIX = "urn:saga:";

  private final String wireName;
  private final int version;
  private final Class<? extends SagaEvent> javaType;
  private final String topic;

  EventType(String wireName, int version, Class<? extends SagaEvent> javaType, String topic) {
    this.wireName = wireName;
    this.version = version;
    this.javaType = javaType;
    this.topic = topic;
  }

  /** The CloudEvents {@code type}, e.g. {@code OrderPlaced}. */
  public String wireName() {
    return wireName;
  }

  public int version() {
    return version;
  }

  public Class<? extends SagaEvent> javaType() {
    return javaType;
  }

  public String topic() {
    return topic;
  }

  /**
   * The CloudEvents {@code dataschema}, e.g. {@code urn:saga:OrderPlaced:v1}; also the schema's
   * $id.
   */
  public String dataSchema() {
    return SCHEMA_URN_PREFIX + wireName + ":v" + version;
  }

  /** Classpath location of this type's JSON Schema. */
  public String schemaResource() {
    return "dev/saga/events/schemas/" + wireName + ".v" + version + ".json";
  }

  public static EventType of(SagaEvent event) {
    return of(event.getClass());
  }

  public static EventType of(Class<?> javaType) {
    return Arrays.stream(values())
        .filter(type -> type.javaType.equals(javaType))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Not an event type: " + javaType));
  }

  /**
   * The type a record on {@code topic} declares with its {@code ce_type} and {@code ce_dataschema}.
   */
  public static Optional<EventType> resolve(String topic, String wireName, String dataSchema) {
    return Arrays.stream(values())
        .filter(type -> type.topic.equals(topic))
        .filter(type -> type.wireName.equals(wireName))
        .filter(type -> type.dataSchema().equals(dataSchema))
        .findFirst();
  }
}
