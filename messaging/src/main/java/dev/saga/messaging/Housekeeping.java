package dev.saga.messaging;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Forgets processed event ids once the topics cannot deliver those events any more. */
class Housekeeping implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  private static final Duration PERIOD = Duration.ofHours(1);

  private final ProcessedEvents processedEvents;
  private final Duration retention;
  private ScheduledExecutorService executor;

  Housekeeping(ProcessedEvents processedEvents, Duration retention) {
    this.processedEvents = processedEvents;
    this.retention = retention;
  }

  void run() {
    try {
      int forgotten = processedEvents.forgetOlderThan(retention);
      log.debug("Forgot {} processed event ids older than {}", forgotten, retention);
    } catch (RuntimeException e) {
      log.warn("Could not forget old processed event ids", e);
    }
  }

  @Override
  public synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("messaging-housekeeping").daemon().factory());
    executor.scheduleWithFixedDelay(
        this::run, PERIOD.toMinutes(), PERIOD.toMinutes(), TimeUnit.MINUTES);
  }

  @Override
  public synchronized void stop() {
    executor.shutdownNow();
    executor = null;
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}
