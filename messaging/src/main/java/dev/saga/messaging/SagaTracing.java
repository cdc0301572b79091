package dev.saga.messaging;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Keeps a saga in its traces where work is not started by a traced request or record: the W3C
 * {@code traceparent} an event or an order was created in is stored as text, and work done for it
 * later either continues that trace ({@link #continueTrace}: the outbox relay, a mail outbox) or
 * starts its own and links to it ({@link #linkedTo}: a customer's cancel, the saga deadline). Logs
 * carry the order id ({@link #forOrder}) next to the trace and span ids.
 */
public class SagaTracing {

  /** MDC key of the order a log line is about. */
  public static final String ORDER_ID = "orderId";

  /** Span attribute of the order a span is about, searchable in a trace UI. */
  public static final String ORDER_ID_TAG = "saga.order.id";

  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  private final Supplier<Tracer> tracer;
  private final Supplier<Propagator> propagator;

  SagaTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    this.tracer = ResolvedOnce.optional(tracer);
    this.propagator = ResolvedOnce.optional(propagator);
  }

  /** The W3C {@code traceparent} of the current span, or {@code null} outside any span. */
  public String currentTraceParent() {
    Tracer current = tracer.get();
    Span span = current == null ? null : current.currentSpan();
    return span == null ? null : traceParent(span);
  }

  /** The trace id of a W3C {@code traceparent}; empty for {@code null} or a malformed one. */
  public static Optional<String> traceId(String traceParent) {
    if (traceParent == null) {
      return Optional.empty();
    }
    var matcher = TRACEPARENT.matcher(traceParent);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /**
   * Starts a span whose parent is the stored context, so work done later, on another thread,
   * belongs to the trace that caused it; without a stored context it starts a new trace.
   */
  public TracedWork continueTrace(String name, String traceParent) {
    return continueTrace(name, traceParent, null);
  }

  /** As {@link #continueTrace(String, String)}, a span of {@code kind} (null: internal). */
  TracedWork continueTrace(String name, String traceParent, Span.Kind kind) {
    Tracer current = tracer.get();
    Propagator currentPropagator = propagator.get();
    if (current == null || currentPropagator == null) {
      return TracedWork.NONE;
    }
    Span.Builder builder =
        traceParent == null
            ? current.spanBuilder().setNoParent()
            : currentPropagator.extract(
                Map.of(CloudEventRecords.TRACEPARENT_HEADER, traceParent), Map::get);
    builder = builder.name(name);
    return new TracedWork(current, (kind == null ? builder : builder.kind(kind)).start());
  }

  /**
   * Starts a span that links to the stored context: a child of the current span, or the root of a
   * new trace where there is none. Work that starts later for an order (its cancel, its deadline)
   * is its own trace, one click away from the order's original one.
   */
  public TracedWork linkedTo(String name, String traceParent) {
    Tracer current = tracer.get();
    if (current == null) {
      return TracedWork.NONE;
    }
    Span parent = current.currentSpan();
    Span.Builder builder = current.spanBuilder().name(name);
    builder = parent == null ? builder.setNoParent() : builder.setParent(parent.context());
    TraceContext linked = traceContext(current, traceParent);
    if (linked != null) {
      builder = builder.addLink(new Link(linked));
    }
    return new TracedWork(current, builder.start());
  }

  /**
   * Marks the work on this thread as concerning {@code orderId}: log lines carry it (MDC {@value
   * #ORDER_ID}) until the returned scope is closed, and the current span is tagged with it.
   */
  public OrderScope forOrder(UUID orderId) {
    Tracer current = tracer.get();
    Span span = current == null ? null : current.currentSpan();
    if (span != null) {
      span.tag(ORDER_ID_TAG, orderId.toString());
    }
    String previous = MDC.get(ORDER_ID);
    MDC.put(ORDER_ID, orderId.toString());
    return () -> {
      if (previous == null) {
        MDC.remove(ORDER_ID);
      } else {
        MDC.put(ORDER_ID, previous);
      }
    };
  }

  /** The W3C {@code traceparent} of a started span; {@code null} without tracing. */
  String traceParent(TracedWork work) {
    return work.span() == null ? null : traceParent(work.span());
  }

  private String traceParent(Span span) {
    Propagator currentPropagator = propagator.get();
    if (currentPropagator == null) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    currentPropagator.inject(span.context(), carrier, Map::put);
    return carrier.get(CloudEventRecords.TRACEPARENT_HEADER);
  }

  private static TraceContext traceContext(Tracer tracer, String traceParent) {
    if (traceParent == null) {
      return null;
    }
    var matcher = TRACEPARENT.matcher(traceParent);
    if (!matcher.matches()) {
      return null;
    }
    return tracer
        .traceContextBuilder()
        .traceId(matcher.group(1))
        .spanId(matcher.group(2))
        .sampled((Integer.parseInt(matcher.group(3), 16) & 1) == 1)
        .build();
  }

  /** Closes the order's logging scope; never throws. */
  public interface OrderScope extends AutoCloseable {
    @Override
    void close();
  }

  /** A started span: work runs in its scope, and closing it ends the span. */
  public static class TracedWork implements AutoCloseable {

    static final TracedWork NONE = new TracedWork(null, null);

    private final Tracer tracer;
    private final Span span;

    TracedWork(Tracer tracer, Span span) {
      this.tracer = tracer;
      this.span = span;
    }

    /** Adds an attribute to the span. */
    public TracedWork tag(String key, String value) {
      if (span != null && value != null) {
        span.tag(key, value);
      }
      return this;
    }

    /** Runs {@code work} with the span as the current one. */
    public <T> T inScope(Supplier<T> work) {
      if (span == null) {
        return work.get();
      }
      try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
        return work.get();
      } catch (RuntimeException | Error e) {
        span.error(e);
        throw e;
      }
    }

    /** Runs {@code work} with the span as the current one. */
    public void inScope(Runnable work) {
      inScope(
          () -> {
            work.run();
            return null;
          });
    }

    /** Marks the span as failed. */
    public void error(Throwable failure) {
      if (span != null) {
        span.error(failure);
      }
    }

    Span span() {
      return span;
    }

    /** Ends the span. */
    @Override
    public void close() {
      if (span != null) {
        span.end();
      }
    }
  }
}
