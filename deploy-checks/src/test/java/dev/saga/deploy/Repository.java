package dev.saga.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository these checks run in: the parent of this module's directory. */
final class Repository {

  private static final Path ROOT = locate();

  private Repository() {}

  static Path root() {
    return ROOT;
  }

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path locate() {
    Path here = Path.of("").toAbsolutePath();
    for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
      if (Files.exists(candidate.resolve("docker-compose.yml"))
          && Files.isDirectory(candidate.resolve("deploy-checks"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("Not inside the repository: " + here);
  }
}
