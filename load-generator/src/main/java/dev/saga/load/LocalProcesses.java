package dev.saga.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The processes of a stack on this machine, found by the TCP port each listens on, and the CPU time
 * they used, read from Linux's {@code /proc} (nothing is asked of the processes themselves).
 */
final class LocalProcesses {

  /** Linux reports process times in clock ticks of 1/100 s on every architecture Java runs on. */
  private static final long MILLIS_PER_TICK = 10;

  private static final Path PROC = Path.of("/proc");
  private static final Pattern COMPILER_THREADS = Pattern.compile("C[12] CompilerThre.*");
  private static final Pattern COLLECTOR_THREADS = Pattern.compile("VM Thread|GC Thread#.*|G1 .*");

  private LocalProcesses() {}

  static boolean available() {
    return Files.isReadable(PROC.resolve("net/tcp")) && Files.isReadable(PROC.resolve("stat"));
  }

  /** The process listening on {@code port} on this machine, if any (and if it may be seen). */
  static Optional<Long> listeningOn(int port) {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("net/tcp", "net/tcp6")) {
      for (String line : lines(PROC.resolve(table))) {
        String[] fields = line.trim().split("\\s+");
        // sl local_address rem_address st ... inode; 0A is LISTEN.
        if (fields.length > 9 && fields[3].equals("0A") && fields[1].contains(":")) {
          int localPort = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
          if (localPort == port) {
            inodes.add("socket:[" + fields[9] + "]");
          }
        }
      }
    }
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    for (long pid : pids()) {
      try (Stream<Path> fds = Files.list(PROC.resolve(pid + "/fd"))) {
        for (Path fd : (Iterable<Path>) fds::iterator) {
          try {
            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
              return Optional.of(pid);
            }
          } catch (IOException ignored) {
            // The descriptor was closed meanwhile.
          }
        }
      } catch (IOException | SecurityException ignored) {
        // Gone, or another user's.
      }
    }
    return Optional.empty();
  }

  /**
   * CPU time (user + system) in milliseconds used so far by {@code root} and all its descendants,
   * including descendants that have exited (a PostgreSQL backend, say) once their parent reaped
   * them.
   */
  static long cpuMillisOfTree(long root) {
    Map<Long, List<Long>> children = new HashMap<>();
    Map<Long, long[]> times = new HashMap<>();
    for (long pid : pids()) {
      long[] stat = stat(pid);
      if (stat != null) {
        times.put(pid, stat);
        children.computeIfAbsent(stat[0], parent -> new ArrayList<>()).add(pid);
      }
    }
    if (!times.containsKey(root)) {
      return 0;
    }
    long ticks = times.get(root)[3];
    List<Long> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      long pid = pending.removeLast();
      ticks += times.get(pid)[1] + times.get(pid)[2];
      pending.addAll(children.getOrDefault(pid, List.of()));
    }
    return ticks * MILLIS_PER_TICK;
  }

  /**
   * CPU time in milliseconds used so far by the JIT compiler threads of a JVM (HotSpot names them
   * {@code C1 CompilerThre…} and {@code C2 CompilerThre…}); 0 for a process that has none.
   */
  static long compilerCpuMillis(long pid) {
    return threadCpuMillis(pid, COMPILER_THREADS);
  }

  /**
   * CPU time in milliseconds used so far by the garbage collector of a JVM: G1's threads ({@code GC
   * Thread#…}, {@code G1 …}) and the {@code VM Thread}, which runs the Serial collector's
   * collections (and, rarely, other work at a safepoint); 0 for a process that has none.
   */
  static long collectorCpuMillis(long pid) {
    return threadCpuMillis(pid, COLLECTOR_THREADS);
  }

  private static long threadCpuMillis(long pid, Pattern threadName) {
    long ticks = 0;
    try (Stream<Path> threads = Files.list(PROC.resolve(pid + "/task"))) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        List<String> name = lines(thread.resolve("comm"));
        if (!name.isEmpty() && threadName.matcher(name.getFirst()).matches()) {
          long[] stat = stat(thread.resolve("stat"));
          ticks += stat == null ? 0 : stat[1] + stat[2];
        }
      }
    } catch (IOException | SecurityException e) {
      return 0;
    }
    return ticks * MILLIS_PER_TICK;
  }

  /** CPU time of this JVM in milliseconds. */
  static long cpuMillisOfSelf() {
    long[] stat = stat(ProcessHandle.current().pid());
    return stat == null ? 0 : (stat[1] + stat[2]) * MILLIS_PER_TICK;
  }

  /** The machine's busy and total CPU time in milliseconds, summed over its cores. */
  static long[] machineCpuMillis() {
    for (String line : lines(PROC.resolve("stat"))) {
      if (line.startsWith("cpu ")) {
        String[] fields = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(fields.length, 9); i++) {
          total += Long.parseLong(fields[i]);
        }
        // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new long[] {(total - idle) * MILLIS_PER_TICK, total * MILLIS_PER_TICK};
      }
    }
    return new long[] {0, 0};
  }

  /** Resident set size of a process in bytes, 0 if unknown. */
  static long residentBytes(long pid) {
    for (String line : lines(PROC.resolve(pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }

  /** ppid, utime, stime, cutime + cstime; null if the process is gone. */
  private static long[] stat(long pid) {
    return stat(PROC.resolve(pid + "/stat"));
  }

  /** The fields of {@link #stat(long)} from a process's or a thread's {@code stat} file. */
  private static long[] stat(Path file) {
    List<String> lines = lines(file);
    if (lines.isEmpty()) {
      return null;
    }
    String line = lines.getFirst();
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return new long[] {
      Long.parseLong(fields[1]),
      Long.parseLong(fields[11]),
      Long.parseLong(fields[12]),
      Long.parseLong(fields[13]) + Long.parseLong(fields[14])
    };
  }

  private static List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> entries = Files.list(PROC)) {
      entries
          .map(entry -> entry.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .forEach(name -> pids.add(Long.parseLong(name)));
    } catch (IOException e) {
      return pids;
    }
    return pids;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException | SecurityException e) {
      return List.of();
    }
  }
}
