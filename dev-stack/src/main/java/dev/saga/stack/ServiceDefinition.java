package dev.saga.stack;

import java.util.List;

/**
 * A service the stack runs: one of the system's four from its jar (possibly as a second instance),
 * or any command (a test's fake service), which gets the same environment ({@code SERVER_PORT},
 * Kafka, database, SMTP).
 *
 * @param name the instance name, e.g. {@code order-service}; also names its log file and port
 * @param service the system service it runs: its jar, database and settings
 * @param command the command to run, or empty for {@code java -jar
 *     <repo>/<service>/target/<service>.jar}
 */
public record ServiceDefinition(String name, String service, List<String> command) {

  public ServiceDefinition {
    command = List.copyOf(command);
  }

  /** One of the system's services, run from the jar its module builds. */
  public static ServiceDefinition of(String name) {
    return new ServiceDefinition(name, name, List.of());
  }

  /**
   * Another instance of one of the system's services, e.g. {@code payment-service-2}: the same jar,
   * database and consumer groups, on a port of its own.
   */
  public static ServiceDefinition instance(String service, String name) {
    if (service.equals(name)) {
      throw new IllegalArgumentException("A second instance needs a name of its own");
    }
    return new ServiceDefinition(name, service, List.of());
  }

  /** Any program; it finds its port in the environment variable {@code SERVER_PORT}. */
  public static ServiceDefinition command(String name, List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("A command service needs a command");
    }
    return new ServiceDefinition(name, name, command);
  }

  boolean runsJar() {
    return command.isEmpty();
  }
}
