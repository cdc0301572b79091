package dev.saga.stack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

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

  /**
   * Distinct ports, each free now, below the kernel's ephemeral range and handed out once in this
   * JVM (see {@link #freePort()}).
   */
  public static StackPorts free() {
    Map<String, Integer> services = new LinkedHashMap<>();
    for (String service : LocalStack.SERVICES) {
      services.put(service, freePort());
    }
    return new StackPorts(
        freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), services);
  }

  /**
   * A port that is free now, below the kernel's ephemeral range, from which outgoing connections
   * take their local ports (so none can take it before it is bound), and not handed out before by
   * this JVM.
   */
  public static int freePort() {
    return Platform.freePort();
  }

  /**
   * An offset for {@link #offset(int)}, from 2000 on in steps of 100 (clear of the benchmark's
   * 1000), at which every port is free now and below the kernel's ephemeral range: for a stack
   * started by a script that takes an offset ({@code ./run-local.sh --port-offset N}).
   */
  public static int freeOffset() {
    int below = Platform.ephemeralPortsFrom();
    List<Integer> offsets = new ArrayList<>();
    for (int offset = 2_000; offset(offset).highest() < below; offset += 100) {
      offsets.add(offset);
    }
    Collections.rotate(offsets, ThreadLocalRandom.current().nextInt(Math.max(1, offsets.size())));
    for (int offset : offsets) {
      if (offset(offset).all().allMatch(Platform::isFree)) {
        return offset;
      }
    }
    throw new IllegalStateException("No port offset with every port free and below " + below);
  }

  /** Whether something accepts connections on the port of this machine (127.0.0.1) now. */
  public static boolean listening(int port) {
    return Platform.isListening("127.0.0.1", port);
  }

  /** Every port of the stack. */
  public Stream<Integer> all() {
    return Stream.concat(
        Stream.of(postgres, kafka, kafkaController, kafkaInternal, smtp, mailApi),
        services.values().stream());
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

  private int highest() {
    return all().mapToInt(Integer::intValue).max().orElseThrow();
  }
}
