package dev.saga.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** What the stack needs from the operating system: executables, signals, users and ports. */
final class Platform {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** Linux's default first ephemeral port; macOS and Windows start theirs higher, at 49152. */
  private static final int DEFAULT_EPHEMERAL_FROM = 32_768;

  /** Above the documented ports (below 10000) and the benchmark's stack at offset 1000. */
  private static final int FREE_PORTS_FROM = 15_000;

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Platform() {}

  /** The java launcher of the running JVM, so every child runs on the same JDK. */
  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Optional<Path> executable(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Runs the command in a session of its own, so a Ctrl-C in the terminal reaches only the
   * supervisor, which then stops the children in order. {@code setsid} execs in place (a child of
   * the JVM is never a process group leader), so the pid stays the program's own.
   */
  static List<String> detached(List<String> command) {
    List<String> result = new ArrayList<>();
    executable("setsid").ifPresent(setsid -> result.add(setsid.toString()));
    result.addAll(command);
    return result;
  }

  /** Whether this process runs with effective user id 0, read from procfs (Linux only). */
  static boolean runsAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends a signal by name (e.g. {@code INT}) with the kill command; Java can only TERM or KILL.
   */
  static void signal(long pid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot send SIG" + signal + " to " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A port that is free now, below the kernel's ephemeral range and never handed out before by this
   * JVM. A port the kernel picks ({@code new ServerSocket(0)}) lies in the ephemeral range, from
   * which every outgoing connection takes its local port too: between the pick and the stack's
   * bind, a connection to the broker or the database could take it ("Port already in use"). Only
   * where the range leaves fewer than 1,000 ports below it is the kernel's pick the fallback.
   */
  static int freePort() {
    int below = ephemeralPortsFrom();
    if (below - FREE_PORTS_FROM < 1_000) {
      return kernelsFreePort();
    }
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FREE_PORTS_FROM, below);
      if (isFree(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "No free port between " + FREE_PORTS_FROM + " and " + below + " after 1,000 tries");
  }

  /**
   * The first port of the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), or
   * Linux's default where it cannot be read.
   */
  static int ephemeralPortsFrom() {
    try {
      // readAllLines, not readString: JDK 25's readString returns only "3" of this sysctl file.
      String range = Files.readAllLines(EPHEMERAL_RANGE).getFirst();
      return Integer.parseInt(range.strip().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_FROM;
    }
  }

  /** Whether nothing listens on the port, on any address: a server binding all of them can. */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int kernelsFreePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (HANDED_OUT.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("No free port", e);
      }
    }
  }

  static boolean isListening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
