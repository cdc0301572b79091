package dev.saga.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a service from Spring Boot's extracted layout with the JDK's AOT cache (JEP 483, 514, 515),
 * trained by the service's own first run after a build.
 *
 * <p>The JVM caches only classes it loads from plain jars on the class path, so the fat jar is
 * extracted first ({@code java -Djarmode=tools -jar <jar> extract}, the mechanism the images use)
 * into {@code <service>/target/aot/}. A run without a cache trains one: {@code -XX:AOTCacheOutput}
 * makes the JVM write the loaded and linked classes and the method profiles when it exits, which
 * takes up to a minute, so its stop gets a longer grace period. Every later run maps the cache
 * ({@code -XX:AOTCache}) and is ready about three times sooner (BENCHMARKS.md, "Startup and
 * memory"). A new jar or another JDK build invalidates both the extraction and the cache; the JVM
 * itself ignores a cache that does not match its class path.
 */
final class AotCache {

  /** Four services writing their caches at once on two cores took 61 s. */
  static final java.time.Duration TRAINING_STOP_GRACE = java.time.Duration.ofMinutes(3);

  /** What to run: the extracted jar, with the options that use or train the cache. */
  record Launch(AotCache cache, Path jar, List<String> jvmOptions, boolean training) {}

  private final String service;
  private final Path jar;
  private final Path directory;

  /**
   * @param directory where the extraction and the cache go, e.g. {@code <service>/target/aot}
   */
  AotCache(String service, Path jar, Path directory) {
    this.service = service;
    this.jar = jar;
    this.directory = directory;
  }

  Path cacheFile() {
    return directory.resolve(service + ".aot");
  }

  private Path trainingFile() {
    return directory.resolve(service + ".aot.training");
  }

  /**
   * The JVM's own bookkeeping of a one-step training run; it deletes it once the cache is written.
   */
  private Path trainingConfiguration() {
    return directory.resolve(service + ".aot.training.config");
  }

  /**
   * Extracts the jar unless this build's extraction is there, and chooses the options: the cache if
   * there is one, else a training run when {@code mayTrain} (one instance per service trains), else
   * none.
   */
  synchronized Launch prepare(boolean mayTrain) {
    String source = source();
    Path stamp = directory.resolve("source");
    try {
      if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(source)) {
        extract(source);
      }
      Files.deleteIfExists(trainingFile());
      Files.deleteIfExists(trainingConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare " + directory, e);
    }
    Path extracted = directory.resolve("app").resolve(jar.getFileName());
    if (Files.isRegularFile(cacheFile())) {
      return new Launch(this, extracted, List.of("-XX:AOTCache=" + cacheFile()), false);
    }
    if (!mayTrain) {
      return new Launch(this, extracted, List.of(), false);
    }
    return new Launch(
        this,
        extracted,
        // The classes it cannot cache (e.g. unlinked optional ones) are expected; not worth a log.
        List.of("-XX:AOTCacheOutput=" + trainingFile(), "-Xlog:aot=error", "-Xlog:cds=error"),
        true);
  }

  /**
   * After a training run has ended: keeps the cache when the JVM finished writing it (it removes
   * its configuration file last), else discards what it left, so the next run trains again.
   */
  synchronized boolean afterTraining() {
    try {
      if (Files.isRegularFile(trainingFile()) && !Files.exists(trainingConfiguration())) {
        move(trainingFile(), cacheFile());
        return true;
      }
      Files.deleteIfExists(trainingFile());
      Files.deleteIfExists(trainingConfiguration());
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot keep the AOT cache of " + service, e);
    }
  }

  /**
   * The jar's content and the JDK the extraction and the cache were made from. The content, not the
   * file's time: every build writes the service jars anew (the service modules set {@code
   * maven.jar.forceCreation}, so that they never keep a dependency's old classes), and the root
   * pom's {@code project.build.outputTimestamp} makes a jar built from the same classes the same
   * bytes, so a build that changed nothing keeps the cache.
   */
  private String source() {
    try {
      return "jar=%s sha256=%s jdk=%s %s%n"
          .formatted(
              jar.toAbsolutePath(),
              sha256(jar),
              System.getProperty("java.home"),
              System.getProperty("java.runtime.version"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          jar + " not found; build it: ./mvnw -q -DskipTests package -pl " + service + " -am", e);
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Extracts into a fresh directory, then replaces the old extraction and its cache with it. */
  private void extract(String source) throws IOException {
    Files.createDirectories(directory.getParent());
    Path staging = Files.createTempDirectory(directory.getParent(), "aot-");
    try {
      Process extract =
          new ProcessBuilder(
                  Platform.javaExecutable(),
                  "-Djarmode=tools",
                  "-jar",
                  jar.toString(),
                  "extract",
                  "--destination",
                  staging.resolve("app").toString())
              .redirectErrorStream(true)
              .redirectOutput(staging.resolve("extract.log").toFile())
              .start();
      if (!extract.waitFor(2, TimeUnit.MINUTES) || extract.exitValue() != 0) {
        extract.destroyForcibly();
        throw new IllegalStateException(
            "Extracting " + jar + " failed: " + Files.readString(staging.resolve("extract.log")));
      }
      Files.writeString(staging.resolve("source"), source);
      Directories.deleteRecursively(directory);
      move(staging, directory);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while extracting " + jar, e);
    } finally {
      Directories.deleteRecursively(staging);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
