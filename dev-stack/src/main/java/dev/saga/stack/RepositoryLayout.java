package dev.saga.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the stack finds what the build made: the repository root, the service jars, the broker's
 * classpath and the GreenMail jar.
 */
final class RepositoryLayout {

  /** System property (or environment variable {@code SAGA_REPOSITORY_ROOT}) naming the root. */
  static final String ROOT_PROPERTY = "saga.repository.root";

  private final Path root;

  RepositoryLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The root from the system property, else the nearest directory up with mvnw and services. */
  static RepositoryLayout locate() {
    String configured = System.getProperty(ROOT_PROPERTY, System.getenv("SAGA_REPOSITORY_ROOT"));
    if (configured != null && !configured.isBlank()) {
      return new RepositoryLayout(Path.of(configured));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))
          && Files.isDirectory(dir.resolve("order-service"))
          && Files.isDirectory(dir.resolve("dev-stack"))) {
        return new RepositoryLayout(dir);
      }
    }
    throw new IllegalStateException(
        "Cannot find the repository root (a directory with mvnw and the service folders) above "
            + Path.of("").toAbsolutePath()
            + "; run from inside the repository or set -D"
            + ROOT_PROPERTY);
  }

  Path root() {
    return root;
  }

  Path serviceJar(String service) {
    return root.resolve(service).resolve("target").resolve(service + ".jar");
  }

  /** The default home of a local run: data, logs and generated configuration. */
  Path runDirectory() {
    return root.resolve(".run-local");
  }

  /** The classpath the broker runs with: this module's runtime classpath, written by the build. */
  String brokerClasspath() {
    String configured = System.getProperty("saga.stack.kafka-classpath");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Path file = root.resolve("dev-stack/target/classpath.txt");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file + " is missing; build the launcher first: ./mvnw -pl dev-stack package");
    }
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GreenMail's standalone jar: the build's copy, else the local Maven repository's. */
  Path greenmailJar() {
    String configured = System.getProperty("saga.stack.greenmail-jar");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String version = Versions.greenmail();
    Optional<Path> found =
        java.util.stream.Stream.of(
                root.resolve("dev-stack/target/greenmail-standalone.jar"),
                Path.of(
                    System.getProperty("user.home"),
                    ".m2/repository/com/icegreen/greenmail-standalone",
                    version,
                    "greenmail-standalone-" + version + ".jar"))
            .filter(Files::isRegularFile)
            .findFirst();
    return found.orElseThrow(
        () ->
            new IllegalStateException(
                "GreenMail standalone jar not found; build the launcher first: ./mvnw -pl"
                    + " dev-stack package"));
  }
}
