package dev.saga.stack;

/**
 * Guards the start of child processes against a concurrent shutdown: once the stack is closing,
 * nothing new starts, so nothing can be started after {@code close()} has collected what to stop.
 */
final class Lifecycle {

  private boolean closing;

  synchronized void start(ManagedProcess process) {
    start(process, java.util.Map.of());
  }

  synchronized void start(ManagedProcess process, java.util.Map<String, String> environment) {
    if (closing) {
      throw new IllegalStateException("The stack is shutting down; not starting " + process.name());
    }
    process.start(environment);
  }

  synchronized void beginClosing() {
    closing = true;
  }

  synchronized boolean isClosing() {
    return closing;
  }
}
