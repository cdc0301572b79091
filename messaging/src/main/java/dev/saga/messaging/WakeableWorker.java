package dev.saga.messaging;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A loop on a thread of its own that does a round of work, then sleeps until it is woken ({@link
 * #wakeUp()}, e.g. by a transaction that committed work for it) or its pause is over, whichever
 * comes first. A round that throws is retried after a capped, doubling pause (0.2 s up to 5 s), for
 * as long as it keeps failing. The outbox relay and the notification service's mail relay are the
 * two: one mechanism for both, started and stopped with the application context.
 */
public abstract class WakeableWorker implements SmartLifecycle, Runnable {

  private static final long MAX_FAILURE_PAUSE_MILLIS = 5_000;

  private final String name;
  private final String threadName;
  private final Duration stopTimeout;
  private final Logger log = LoggerFactory.getLogger(getClass());
  private final Semaphore wakeUps = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  /**
   * @param name what the logs call it, e.g. "Outbox relay"
   * @param threadName the name of its thread
   * @param stopTimeout how long {@link #stop()} waits for the last round (and {@link #drain()})
   */
  protected WakeableWorker(String name, String threadName, Duration stopTimeout) {
    this.name = name;
    this.threadName = threadName;
    this.stopTimeout = stopTimeout;
  }

  /**
   * One round of work.
   *
   * @return how long to sleep before the next round unless woken; zero to go again at once
   */
  protected abstract Duration work();

  /** Runs once on the worker's thread after it was asked to stop, if its last round succeeded. */
  protected void drain() {}

  /** Ends the current or next sleep; cheap, and safe to call from any thread. */
  public void wakeUp() {
    if (wakeUps.availablePermits() == 0) {
      wakeUps.release();
    }
  }

  @Override
  public void run() {
    long failures = 0;
    while (running) {
      try {
        Duration pause = work();
        failures = 0;
        if (pause.isPositive()) {
          awaitWakeUp(pause);
        }
      } catch (RuntimeException e) {
        failures++;
        Duration pause =
            Duration.ofMillis(Math.min(MAX_FAILURE_PAUSE_MILLIS, 100L << Math.min(failures, 6)));
        log.warn("{} failed ({} in a row), retrying in {}", name, failures, pause, e);
        awaitWakeUp(pause);
      }
    }
    if (failures == 0) {
      drain();
    }
  }

  private void awaitWakeUp(Duration timeout) {
    try {
      if (wakeUps.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        wakeUps.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name(threadName).daemon().start(this);
  }

  @Override
  public synchronized void stop() {
    running = false;
    wakeUp();
    if (thread != null) {
      try {
        thread.join(stopTimeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
