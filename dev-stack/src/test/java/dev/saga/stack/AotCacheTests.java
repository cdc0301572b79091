package dev.saga.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When {@link AotCache} extracts, uses, trains and discards. The jar here is a stand-in whose main
 * class does what Spring Boot's {@code extract} does to the file tree (LoadSystemTests runs the
 * real thing with a real service); its extraction counter shows when the jar was extracted again.
 */
class AotCacheTests {

  @TempDir Path repository;
  private Path jar;
  private AotCache cache;
  private Path directory;

  @BeforeEach
  void writeTheJar() throws IOException {
    jar = repository.resolve("payment-service/target/payment-service.jar");
    Files.createDirectories(jar.getParent());
    writeJar();
    directory = jar.resolveSibling("aot");
    cache = new AotCache("payment-service", jar, directory);
  }

  /** Writes the stand-in jar: its manifest and the given (empty) class files. */
  private void writeJar(String... classes) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeExtract.class.getName());
    Path testClasses =
        Path.of(FakeExtract.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses.toUri().toString());
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream out = new ZipOutputStream(file)) {
      // Fixed entry times, as the build's project.build.outputTimestamp gives the real jars.
      out.putNextEntry(entry(JarFile.MANIFEST_NAME));
      manifest.write(out);
      out.closeEntry();
      for (String name : classes) {
        out.putNextEntry(entry(name));
        out.closeEntry();
      }
    }
  }

  private static ZipEntry entry(String name) {
    ZipEntry entry = new ZipEntry(name);
    entry.setTime(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    return entry;
  }

  @Test
  void theFirstRunExtractsTheJarAndTrains() {
    AotCache.Launch launch = cache.prepare(true);

    assertThat(launch.training()).isTrue();
    assertThat(launch.jar())
        .isEqualTo(directory.resolve("app/payment-service.jar"))
        .isRegularFile();
    assertThat(directory.resolve("app/lib/dependency.jar")).isRegularFile();
    assertThat(launch.jvmOptions())
        .contains("-XX:AOTCacheOutput=" + directory.resolve("payment-service.aot.training"));
  }

  @Test
  void aFurtherInstanceDoesNotTrainButRunsExtracted() {
    AotCache.Launch launch = cache.prepare(false);

    assertThat(launch.training()).isFalse();
    assertThat(launch.jvmOptions()).isEmpty();
    assertThat(launch.jar()).isRegularFile();
  }

  @Test
  void aFinishedTrainingRunLeavesTheCacheThatTheNextRunUses() throws IOException {
    cache.prepare(true);
    // What the JVM leaves once it has written the cache: the cache, its configuration deleted.
    Files.writeString(directory.resolve("payment-service.aot.training"), "cache");

    assertThat(cache.afterTraining()).isTrue();
    AotCache.Launch next = cache.prepare(true);

    assertThat(next.training()).isFalse();
    assertThat(next.jvmOptions()).containsExactly("-XX:AOTCache=" + cache.cacheFile());
    assertThat(cache.cacheFile()).hasContent("cache");
    assertThat(extractions()).isEqualTo(1);
  }

  @Test
  void anUnfinishedTrainingRunIsDiscardedAndTheNextRunTrainsAgain() throws IOException {
    cache.prepare(true);
    // Killed while writing: the JVM's configuration file is still there, the cache half written.
    Files.writeString(directory.resolve("payment-service.aot.training"), "half");
    Files.writeString(directory.resolve("payment-service.aot.training.config"), "config");

    assertThat(cache.afterTraining()).isFalse();

    assertThat(cache.cacheFile()).doesNotExist();
    assertThat(directory).isDirectoryNotContaining("glob:**.training*");
    assertThat(cache.prepare(true).training()).isTrue();
  }

  @Test
  void aNewJarIsExtractedAgainAndItsOldCacheDropped() throws IOException {
    trainTheCache();

    writeJar("dev/saga/payment/Changed.class");
    AotCache.Launch afterTheBuild = cache.prepare(true);

    assertThat(extractions()).isEqualTo(2);
    assertThat(cache.cacheFile()).doesNotExist();
    assertThat(afterTheBuild.training()).isTrue();
  }

  @Test
  void aJarWrittenAgainWithTheSameContentKeepsItsExtractionAndCache() throws IOException {
    trainTheCache();

    // What a build that changed nothing does: the same bytes (fixed entry times), a newer file.
    writeJar();
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    AotCache.Launch afterTheBuild = cache.prepare(true);

    assertThat(extractions()).isEqualTo(1);
    assertThat(afterTheBuild.jvmOptions()).containsExactly("-XX:AOTCache=" + cache.cacheFile());
  }

  private void trainTheCache() throws IOException {
    cache.prepare(true);
    Files.writeString(directory.resolve("payment-service.aot.training"), "cache");
    cache.afterTraining();
    assertThat(cache.prepare(true).training()).isFalse();
  }

  private long extractions() throws IOException {
    return Long.parseLong(Files.readString(directory.resolve("app/extractions")).strip());
  }

  /** Writes the layout of {@code java -Djarmode=tools -jar <jar> extract --destination <dir>}. */
  public static final class FakeExtract {

    public static void main(String[] args) throws IOException {
      if (!"tools".equals(System.getProperty("jarmode"))
          || args.length != 3
          || !args[0].equals("extract")
          || !args[1].equals("--destination")) {
        System.err.println("unexpected arguments");
        System.exit(2);
      }
      Path jar =
          Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
      Path destination = Path.of(args[2]);
      Files.createDirectories(destination.resolve("lib"));
      Files.writeString(destination.resolve(jar.getFileName()), "application");
      Files.writeString(destination.resolve("lib/dependency.jar"), "dependency");
      // Counted beside the jar, which every extraction of it shares.
      Path counter = jar.resolveSibling("extractions");
      long count = Files.exists(counter) ? Long.parseLong(Files.readString(counter).strip()) : 0;
      Files.writeString(counter, Long.toString(count + 1));
      Files.writeString(destination.resolve("extractions"), Long.toString(count + 1));
    }
  }
}
