package dev.saga.messaging;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test-only crash of the outbox relay between the broker's acknowledgement of a batch and the
 * deletion of its rows, the one moment at which a crash publishes events twice; off unless {@code
 * saga.messaging.outbox.halt-after-acknowledged-batches} is set.
 */
final class RelayFailpoint implements Runnable {

  /** The exit status of a process killed by SIGKILL, which is what the halt stands for. */
  static final int HALT_STATUS = 137;

  private static final Logger log = LoggerFactory.getLogger(RelayFailpoint.class);

  private final int haltAfter;
  private final AtomicInteger acknowledged = new AtomicInteger();

  RelayFailpoint(int haltAfter) {
    this.haltAfter = haltAfter;
  }

  @Override
  public void run() {
    if (haltAfter > 0 && acknowledged.incrementAndGet() == haltAfter) {
      log.warn(
          "Failpoint: halting after {} acknowledged outbox batches, before their rows are deleted",
          haltAfter);
      // halt, not exit: no shutdown hook or finally block may run, exactly as with kill -9.
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
