package dev.saga.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions of the artifacts the stack runs, as the build resolved them. */
final class Versions {

  private static final Properties VERSIONS = load();

  private Versions() {}

  static String postgres() {
    return VERSIONS.getProperty("postgres");
  }

  static String greenmail() {
    return VERSIONS.getProperty("greenmail");
  }

  private static Properties load() {
    try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
      Properties properties = new Properties();
      if (in == null) {
        throw new IllegalStateException("versions.properties is missing; build dev-stack first");
      }
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
