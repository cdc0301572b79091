package dev.saga.system;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of this repository, found from the working directory up. */
final class Repository {

  private Repository() {}

  static Path path(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))
          && Files.isRegularFile(dir.resolve("README.md"))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException("Not inside the repository: " + Path.of("").toAbsolutePath());
  }
}
