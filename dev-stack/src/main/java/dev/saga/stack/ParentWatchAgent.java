package dev.saga.stack;

import java.lang.instrument.Instrumentation;

/**
 * Java agent in every JVM child of the stack that exits the child when the supervisor is gone, so a
 * supervisor killed with SIGKILL leaves no orphaned broker or service behind.
 *
 * <p>Self-contained on purpose: it is packed alone into the agent jar the children load.
 */
public final class ParentWatchAgent {

  private ParentWatchAgent() {}

  public static void premain(String supervisorPid, Instrumentation instrumentation) {
    ProcessHandle.of(Long.parseLong(supervisorPid.trim()))
        .ifPresentOrElse(
            supervisor -> {
              Thread watcher =
                  new Thread(
                      () -> {
                        supervisor.onExit().join();
                        System.err.println(
                            "Supervisor " + supervisorPid.trim() + " is gone; shutting down.");
                        haltAfterGracePeriod();
                        System.exit(143);
                      },
                      "dev-stack-supervisor-watch");
              watcher.setDaemon(true);
              watcher.start();
            },
            () -> {
              System.err.println("Supervisor " + supervisorPid.trim() + " is gone; not starting.");
              System.exit(143);
            });
  }

  /**
   * The infrastructure usually goes down with the supervisor, so a graceful shutdown may wait on
   * brokers and databases that are gone; it gets 20 seconds.
   */
  private static void haltAfterGracePeriod() {
    Thread halter =
        new Thread(
            () -> {
              try {
                Thread.sleep(20_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(143);
            },
            "dev-stack-supervisor-watch-halt");
    halter.setDaemon(true);
    halter.start();
  }
}
