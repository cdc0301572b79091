package dev.saga.test;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Which real servers back the tests: embedded ones (a KRaft broker, PostgreSQL from zonky's
 * binaries, GreenMail) or Testcontainers. {@code auto}, the default, takes Testcontainers where a
 * Docker engine answers; the system property or environment variable {@value #PROPERTY} forces
 * either.
 */
public enum InfrastructureKind {
  EMBEDDED,
  TESTCONTAINERS;

  /** System property, or (upper-cased, dots as underscores) environment variable. */
  public static final String PROPERTY = "saga.test.infrastructure";

  /**
   * The kind {@code requested} ({@code auto}, {@code embedded} or {@code testcontainers}) means.
   */
  public static InfrastructureKind select(String requested, BooleanSupplier dockerAvailable) {
    String value = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "", "auto" -> dockerAvailable.getAsBoolean() ? TESTCONTAINERS : EMBEDDED;
      case "embedded" -> EMBEDDED;
      case "testcontainers" -> TESTCONTAINERS;
      default ->
          throw new IllegalArgumentException(
              PROPERTY + " must be auto, embedded or testcontainers, not '" + requested + "'");
    };
  }

  /** The kind this JVM's configuration asks for. */
  public static InfrastructureKind fromEnvironment() {
    String requested = System.getProperty(PROPERTY);
    if (requested == null) {
      requested = System.getenv("SAGA_TEST_INFRASTRUCTURE");
    }
    return select(requested, InfrastructureKind::dockerAvailable);
  }

  static boolean dockerAvailable() {
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
