package dev.saga.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stack logged, kept when a test fails: every log copied out of the stack's (usually
 * temporary) directory, and a digest of the services' warnings and errors since the test began,
 * short enough for the failure message, the only thing a CI run keeps.
 */
public final class StackLogs {

  /** The most entries a service contributes to a digest: its last ones. */
  static final int ENTRIES_PER_SERVICE = 25;

  /** The most lines of an entry after its first (exception messages, causes, not frames). */
  static final int DETAIL_LINES = 4;

  private static final int LINE_LENGTH = 300;

  /** Spring Boot's console format: ISO time, then the level. */
  private static final Pattern LOG_LINE =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\S+)\\s+(ERROR|WARN|INFO|DEBUG|TRACE)\\s.*");

  /** The line a stack writes into a log before each start of its process. */
  private static final Pattern START_LINE = Pattern.compile("^---- \\S+ starting at (\\S+):.*");

  private StackLogs() {}

  /**
   * Copies every log of {@code stack} into {@code into} and writes the digest of its services' logs
   * since {@code since} there too, as {@code digest.txt}.
   *
   * @return the digest
   */
  public static String keep(LocalStack stack, Path into, Instant since) {
    Path target = into.toAbsolutePath().normalize();
    Directories.copyFiles(stack.logsDir(), target);
    String digest =
        "The services' warnings and errors since "
            + since
            + "; all logs of the stack are kept in "
            + target
            + "\n"
            + digest(stack.services().stream().map(ServiceProcess::logFile).toList(), since);
    write(target.resolve("digest.txt"), digest);
    return digest;
  }

  /**
   * For each log, its entries at WARN or above and its process starts since {@code since} (the last
   * {@value #ENTRIES_PER_SERVICE}), each with its first detail lines but no stack frames.
   */
  static String digest(Collection<Path> logs, Instant since) {
    StringBuilder digest = new StringBuilder();
    for (Path log : logs) {
      List<List<String>> entries = entries(log, since);
      int omitted = Math.max(0, entries.size() - ENTRIES_PER_SERVICE);
      digest.append("== ").append(log.getFileName());
      if (entries.isEmpty()) {
        digest.append(": nothing at WARN or above\n");
        continue;
      }
      digest
          .append(": ")
          .append(entries.size())
          .append(omitted == 0 ? "" : " (the first " + omitted + " left out)")
          .append('\n');
      entries.subList(omitted, entries.size()).stream()
          .flatMap(List::stream)
          .forEach(line -> digest.append(line).append('\n'));
    }
    return digest.toString();
  }

  private static List<List<String>> entries(Path log, Instant since) {
    List<List<String>> entries = new ArrayList<>();
    if (!Files.exists(log)) {
      return entries;
    }
    List<String> current = null;
    Instant time = Instant.MIN;
    for (String line : lines(log)) {
      Matcher logLine = LOG_LINE.matcher(line);
      Matcher startLine = START_LINE.matcher(line);
      if (logLine.matches() || startLine.matches()) {
        time = instant(logLine.matches() ? logLine.group(1) : startLine.group(1), time);
        boolean kept =
            !time.isBefore(since)
                && (startLine.matches() || List.of("WARN", "ERROR").contains(logLine.group(2)));
        current = kept ? new ArrayList<>(List.of(shorten(line))) : null;
        if (kept) {
          entries.add(current);
        }
      } else if (current != null
          && current.size() <= DETAIL_LINES
          && !line.isBlank()
          && !line.stripLeading().startsWith("at ")
          && !line.stripLeading().startsWith("... ")) {
        current.add(shorten(line));
      }
    }
    return entries;
  }

  private static Instant instant(String text, Instant previous) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return previous;
    }
  }

  private static String shorten(String line) {
    return line.length() <= LINE_LENGTH ? line : line.substring(0, LINE_LENGTH) + " [...]";
  }

  private static List<String> lines(Path log) {
    // A process may have died mid-character: decode leniently rather than lose the log.
    try {
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + log, e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
