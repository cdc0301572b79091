package dev.saga.stack;

import java.util.List;

/**
 * A service the stack runs: one of the system's four from its jar, or any command (a test's fake
 * service), which gets the same environment ({@code SERVER_PORT}, Kafka, database, SMTP).
 *
 * @param name the service name, e.g. {@code order-service}; also names its log file
 * @param command the command to run, or empty for {@code java -jar <repo>/<name>/target/<name>.jar}
 */
public record ServiceDefinition(String name, List<String> command) {

  public ServiceDefinition {
    command = List.copyOf(command);
  }

  /** One of the system's services, run from the jar its module builds. */
  public static ServiceDefinition of(String name) {
    return new ServiceDefinition(name, List.of());
  }

  /** Any program; it finds its port in the environment variable {@code SERVER_PORT}. */
  public static ServiceDefinition command(String name, List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("A command service needs a command");
    }
    return new ServiceDefinition(name, command);
  }

  boolean runsJar() {
    return command.isEmpty();
  }
}
