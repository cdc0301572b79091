package dev.saga.stack;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ports of one stack. {@link #defaults()} are the documented ones; tests use {@link #free()} so
 * they never clash with a developer's running stack.
 *
 * @param postgres PostgreSQL
 * @param kafka the broker's client listener
 * @param kafkaController the KRaft controller listener
 * @param kafkaInternal the broker's internal listener (inter-broker and the stack's own admin)
 * @param smtp the SMTP server
 * @param mailApi GreenMail's REST API and web UI
 * @param services the HTTP port of each service by name
 */
public record StackPorts(
    int postgres,
    int kafka,
    int kafkaController,
    int kafkaInternal,
    int smtp,
    int mailApi,
    Map<String, Integer> services) {

  public StackPorts {
    services = Map.copyOf(services);
  }

  public static StackPorts defaults() {
    Map<String, Integer> services = new LinkedHashMap<>();
    services.put("order-service", 8081);
    services.put("inventory-service", 8082);
    services.put("payment-service", 8083);
    services.put("notification-service", 8084);
    return new StackPorts(5432, 9092, 9093, 9094, 1025, 8025, services);
  }

  /**
   * The documented ports plus {@code offset}, e.g. 1000: services on 9081-9084, PostgreSQL on 6432,
   * Kafka on 10092; for a second stack next to a developer's (a benchmark, say).
   */
  public static StackPorts offset(int offset) {
    StackPorts defaults = defaults();
    Map<String, Integer> services = new LinkedHashMap<>();
    defaults.services.forEach((name, port) -> services.put(name, port + offset));
    return new StackPorts(
        defaults.postgres + offset,
        defaults.kafka + offset,
        defaults.kafkaController + offset,
        defaults.kafkaInternal + offset,
        defaults.smtp + offset,
        defaults.mailApi + offset,
        services);
  }

  /** Distinct ports that were free a moment ago, one per part of the stack. */
  public static StackPorts free() {
    Set<Integer> taken = new HashSet<>();
    Map<String, Integer> services = new LinkedHashMap<>();
    for (String service : LocalStack.SERVICES) {
      services.put(service, distinctFreePort(taken));
    }
    return new StackPorts(
        distinctFreePort(taken),
        distinctFreePort(taken),
        distinctFreePort(taken),
        distinctFreePort(taken),
        distinctFreePort(taken),
        distinctFreePort(taken),
        services);
  }

  public int service(String name) {
    Integer port = services.get(name);
    if (port == null) {
      throw new IllegalArgumentException("No port for service " + name + " in " + services);
    }
    return port;
  }

  public StackPorts withService(String name, int port) {
    Map<String, Integer> copy = new LinkedHashMap<>(services);
    copy.put(name, port);
    return new StackPorts(postgres, kafka, kafkaController, kafkaInternal, smtp, mailApi, copy);
  }

  private static int distinctFreePort(Set<Integer> taken) {
    while (true) {
      int port = Platform.freePort();
      if (taken.add(port)) {
        return port;
      }
    }
  }
}
