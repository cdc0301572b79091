package dev.saga.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A tiny shell loop that signals a child of the stack once the supervisor is gone, for programs
 * that cannot watch their supervisor themselves (PostgreSQL); JVM children use {@link
 * ParentWatchAgent} instead.
 */
final class Watchdog {

  private static final String SCRIPT =
      "while kill -0 \"$0\" 2>/dev/null && kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
          // Only when the supervisor is gone: a target that merely ended may have a reused pid.
          + "kill -0 \"$0\" 2>/dev/null || kill -\"$2\" \"$1\" 2>/dev/null";

  private Watchdog() {}

  /** Starts the watchdog; it ends by itself when the target ends, or can be destroyed. */
  static Process start(long supervisorPid, long targetPid, String signal) {
    try {
      return new ProcessBuilder(
              Platform.detached(
                  List.of(
                      "sh",
                      "-c",
                      SCRIPT,
                      Long.toString(supervisorPid),
                      Long.toString(targetPid),
                      signal)))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start a watchdog for " + targetPid, e);
    }
  }
}
