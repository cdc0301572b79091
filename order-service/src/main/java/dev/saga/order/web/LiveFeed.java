package dev.saga.order.web;

import dev.saga.order.OrderActivity;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Pushes every committed change of an order to the live pages that are open, as server-sent events
 * ({@code order}: the order as it now stands and the events it added to its timeline). Sends run on
 * a thread of their own, so a slow browser never holds up a saga transaction; a comment every
 * {@value #HEARTBEAT_SECONDS} seconds keeps idle connections open through proxies.
 *
 * <p>Only changes made by this instance of the service are pushed; a page reloads the lists when it
 * reconnects.
 */
@Component
class LiveFeed implements SmartLifecycle {

  static final long HEARTBEAT_SECONDS = 15;
  private static final Duration SUBSCRIPTION = Duration.ofMinutes(30);

  private final List<SseEmitter> subscribers = new CopyOnWriteArrayList<>();
  private volatile ScheduledExecutorService sender;

  /** A new subscription; the browser's EventSource reconnects when it times out. */
  SseEmitter subscribe() {
    SseEmitter emitter = new SseEmitter(SUBSCRIPTION.toMillis());
    subscribers.add(emitter);
    emitter.onCompletion(() -> subscribers.remove(emitter));
    emitter.onTimeout(emitter::complete);
    emitter.onError(failure -> subscribers.remove(emitter));
    return emitter;
  }

  /** Sends the change to every open page, once it committed. */
  @TransactionalEventListener
  void on(OrderActivity activity) {
    LiveUpdate update = LiveUpdate.of(activity);
    ScheduledExecutorService current = sender;
    if (current != null && !subscribers.isEmpty()) {
      current.execute(
          () ->
              sendToAll(SseEmitter.event().name("order").data(update, MediaType.APPLICATION_JSON)));
    }
  }

  private void sendToAll(SseEmitter.SseEventBuilder event) {
    for (SseEmitter subscriber : subscribers) {
      try {
        subscriber.send(event);
      } catch (IOException | IllegalStateException e) {
        // The browser went away; the emitter completes and drops out of the list.
        subscribers.remove(subscriber);
        subscriber.completeWithError(e);
      }
    }
  }

  @Override
  public synchronized void start() {
    sender =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("live-feed").daemon().factory());
    sender.scheduleWithFixedDelay(
        () -> sendToAll(SseEmitter.event().comment("heartbeat")),
        HEARTBEAT_SECONDS,
        HEARTBEAT_SECONDS,
        TimeUnit.SECONDS);
  }

  /** Closes every open stream, so the web server's graceful shutdown does not wait for them. */
  @Override
  public synchronized void stop() {
    if (sender != null) {
      sender.shutdownNow();
      sender = null;
    }
    subscribers.forEach(SseEmitter::complete);
    subscribers.clear();
  }

  @Override
  public synchronized boolean isRunning() {
    return sender != null;
  }

  /** Stops before the web server shuts down gracefully. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
