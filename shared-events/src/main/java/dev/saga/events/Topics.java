package dev.saga.events;

import java.util.List;
import java.util.Optional;

/**
 * The Kafka topics of the system, with the partition counts every environment creates them with.
 */
public final class Topics {

  public static final String ORDERS = "orders";
  public static final String INVENTORY = "inventory";
  public static final String PAYMENTS = "payments";
  public static final String NOTIFICATIONS = "notifications";
  public static final String CATALOG = "catalog";

  /** Suffix of the dead-letter topic of each topic; it has the same partition count. */
  public static final String DEAD_LETTER_SUFFIX = ".DLT";

  /** Every topic the services exchange events on (dead-letter topics not included). */
  public static final List<Topic> ALL =
      List.of(
          new Topic(ORDERS, 6, false),
          new Topic(INVENTORY, 6, false),
          new Topic(PAYMENTS, 6, false),
          new Topic(NOTIFICATIONS, 6, false),
          new Topic(CATALOG, 3, true));

  private Topics() {}

  public static Optional<Topic> named(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }

  public static String deadLetter(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }

  /**
   * A topic and how it is created.
   *
   * @param compacted {@code true} for a log-compacted topic that keeps the latest record per key
   */
  public record Topic(String name, int partitions, boolean compacted) {

    public String deadLetter() {
      return Topics.deadLetter(name);
    }
  }
}
