package dev.saga.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A container's memory limit for a process started here, so that its JVM sizes its heap and picks
 * its collector from the limit as it does in its pod.
 *
 * <p>Where this process may, the limit is a real one: a memory cgroup beneath this process's own
 * (cgroup v1's memory controller, or v2 where the memory controller is delegated), which the
 * command enters before it execs, as a container's process does. The JVM then reads the limit
 * itself, and the kernel enforces it. Elsewhere (no root, say) the JVM is told instead, as {@code
 * ./run-local.sh} tells it: {@code -XX:MaxRAM} sizes its heap, and {@code -XX:+UseSerialGC} names
 * the collector it picks under a limit below 1.8 GB; nothing is enforced then.
 */
final class PodMemory implements AutoCloseable {

  private final long limit;
  private final Path cgroup;
  private final String controlFiles;
  private final String whyNotEnforced;

  private PodMemory(long limit, Path cgroup, String controlFiles, String whyNotEnforced) {
    this.limit = limit;
    this.cgroup = cgroup;
    this.controlFiles = controlFiles;
    this.whyNotEnforced = whyNotEnforced;
  }

  /** A limit of {@code bytes} named {@code name}, enforced by a cgroup where one can be made. */
  static PodMemory of(String name, long bytes) {
    Optional<Path> own;
    try {
      own = ownMemoryCgroup();
    } catch (IOException | RuntimeException e) {
      return notEnforced(bytes, "cannot read this process's cgroup: " + e);
    }
    if (own.isEmpty()) {
      return notEnforced(bytes, "no cgroup memory controller is mounted");
    }
    Path cgroup = own.get().resolve(name);
    try {
      Files.createDirectories(cgroup);
      String controlFiles;
      if (Files.exists(cgroup.resolve("memory.limit_in_bytes"))) {
        controlFiles = "v1";
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(bytes));
      } else if (Files.exists(cgroup.resolve("memory.max"))) {
        controlFiles = "v2";
        Files.writeString(cgroup.resolve("memory.max"), Long.toString(bytes));
      } else {
        delete(cgroup);
        return notEnforced(bytes, "the memory controller is not delegated to " + own.get());
      }
      return new PodMemory(bytes, cgroup, controlFiles, null);
    } catch (IOException | RuntimeException e) {
      try {
        delete(cgroup);
      } catch (IOException ignored) {
        // Nothing was made, or it stays for the next run's createDirectories.
      }
      return notEnforced(bytes, "cannot make a cgroup under " + own.get() + ": " + e);
    }
  }

  private static PodMemory notEnforced(long bytes, String why) {
    return new PodMemory(bytes, null, null, why);
  }

  /** Whether the kernel enforces the limit, and the JVM reads it as in a container. */
  boolean enforced() {
    return cgroup != null;
  }

  /** The cgroup that enforces the limit, if one does. */
  Optional<Path> cgroup() {
    return Optional.ofNullable(cgroup);
  }

  /** {@code java ...} started under the limit. */
  List<String> command(List<String> java) {
    List<String> command = new ArrayList<>();
    if (enforced()) {
      // The shell enters the cgroup and replaces itself with java, which inherits it.
      command.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\""));
      command.add(cgroup.resolve("cgroup.procs").toString());
      command.addAll(java);
    } else {
      command.addAll(java);
      command.addAll(1, List.of("-XX:MaxRAM=" + (limit >> 20) + "m", "-XX:+UseSerialGC"));
    }
    return command;
  }

  /** The most memory the cgroup's processes held at once, page cache included, if enforced. */
  OptionalLong peak() {
    if (!enforced()) {
      return OptionalLong.empty();
    }
    Path peak =
        cgroup.resolve(controlFiles.equals("v1") ? "memory.max_usage_in_bytes" : "memory.peak");
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(peak).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public String toString() {
    return (limit >> 20)
        + " MiB, "
        + (enforced()
            ? "enforced by cgroup " + controlFiles + " " + cgroup
            : "told to the JVM (-XX:MaxRAM), not enforced: " + whyNotEnforced);
  }

  /** Removes the cgroup; its processes must have ended. */
  @Override
  public void close() throws IOException {
    if (enforced()) {
      delete(cgroup);
    }
  }

  private static void delete(Path cgroup) throws IOException {
    // A cgroup is removed by rmdir alone; its control files go with it.
    Files.deleteIfExists(cgroup);
  }

  /** This process's memory cgroup as a directory, from /proc/self/cgroup and its mount. */
  private static Optional<Path> ownMemoryCgroup() throws IOException {
    String v1 = null;
    String v2 = null;
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] fields = line.split(":", 3);
      if (fields.length < 3) {
        continue;
      }
      if (List.of(fields[1].split(",")).contains("memory")) {
        v1 = fields[2];
      } else if (fields[0].equals("0") && fields[1].isEmpty()) {
        v2 = fields[2];
      }
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      // id parent major:minor root mount-point options [optional...] - type source super-options
      String[] sides = line.split(" - ", 2);
      String[] mount = sides[0].split(" ");
      String[] filesystem = sides.length > 1 ? sides[1].split(" ") : new String[0];
      if (mount.length < 5 || filesystem.length < 3) {
        continue;
      }
      boolean memoryV1 =
          filesystem[0].equals("cgroup") && List.of(filesystem[2].split(",")).contains("memory");
      String path = memoryV1 ? v1 : filesystem[0].equals("cgroup2") && v1 == null ? v2 : null;
      if (path != null) {
        return Optional.of(within(Path.of(mount[4]), mount[3], path));
      }
    }
    return Optional.empty();
  }

  /** The directory of cgroup {@code path} in a mount of the hierarchy's {@code root}. */
  private static Path within(Path mountPoint, String root, String path) {
    String relative = path.startsWith(root) ? path.substring(root.length()) : path;
    Path directory = mountPoint.resolve(relative.replaceFirst("^/+", ""));
    if (!Files.isDirectory(directory)) {
      throw new UncheckedIOException(new IOException("No cgroup directory " + directory));
    }
    return directory;
  }
}
