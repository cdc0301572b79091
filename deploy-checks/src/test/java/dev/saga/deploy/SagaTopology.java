package dev.saga.deploy;

import dev.saga.events.Topics;
import dev.saga.events.Topics.Topic;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the deployment must provide for the code as it is: every topic a service produces or
 * consumes, with its dead-letter topic and the partitions of {@link Topics}, and each service's
 * Kafka permissions.
 */
final class SagaTopology {

  private SagaTopology() {}

  /** A topic as created: name, partitions, and whether it is compacted. */
  record TopicSpec(String name, int partitions, boolean compacted) {}

  /** One permission: an operation on a topic or consumer group. */
  record Permission(String resourceType, String name, String operation) {}

  /** Topics the code uses (produced or consumed), without dead-letter topics. */
  static Set<String> usedTopics() {
    Set<String> used = new TreeSet<>();
    for (SagaService service : SagaService.values()) {
      ServiceCode code = ServiceCode.of(service);
      used.addAll(code.producedTopics());
      used.addAll(code.consumedTopics());
    }
    return used;
  }

  /** Every topic to create, by name: the used topics and a dead-letter topic for each. */
  static Map<String, TopicSpec> requiredTopics() {
    Map<String, TopicSpec> required = new TreeMap<>();
    for (String name : usedTopics()) {
      Topic topic =
          Topics.named(name)
              .orElseThrow(() -> new AssertionError(name + " is not in dev.saga.events.Topics"));
      required.put(name, new TopicSpec(name, topic.partitions(), topic.compacted()));
      required.put(
          topic.deadLetter(), new TopicSpec(topic.deadLetter(), topic.partitions(), false));
    }
    return required;
  }

  /**
   * The least a service needs: write (and describe) what it produces and the dead-letter topics of
   * what it consumes, read (and describe) what it consumes, read its consumer groups.
   */
  static Set<Permission> permissions(SagaService service) {
    ServiceCode code = ServiceCode.of(service);
    Set<Permission> permissions =
        new TreeSet<>(java.util.Comparator.comparing(Permission::toString));
    for (String topic : code.producedTopics()) {
      permissions.add(new Permission("topic", topic, "Write"));
      permissions.add(new Permission("topic", topic, "Describe"));
    }
    for (String topic : code.consumedTopics()) {
      permissions.add(new Permission("topic", topic, "Read"));
      permissions.add(new Permission("topic", topic, "Describe"));
      permissions.add(new Permission("topic", Topics.deadLetter(topic), "Write"));
      permissions.add(new Permission("topic", Topics.deadLetter(topic), "Describe"));
    }
    for (String group : code.consumerGroups()) {
      permissions.add(new Permission("group", group, "Read"));
    }
    return permissions;
  }
}
