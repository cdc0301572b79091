package dev.saga.messaging;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The W3C {@code traceparent} of the current span, stored with each outbox row so the relay can
 * publish the event in the trace of the request or event that caused it.
 */
final class TraceParents implements Supplier<String> {

  private final ObjectProvider<Tracer> tracer;
  private final ObjectProvider<Propagator> propagator;

  TraceParents(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public String get() {
    Tracer currentTracer = tracer.getIfAvailable();
    Propagator currentPropagator = propagator.getIfAvailable();
    Span span = currentTracer == null ? null : currentTracer.currentSpan();
    if (span == null || currentPropagator == null) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    currentPropagator.inject(span.context(), carrier, Map::put);
    return carrier.get(CloudEventRecords.TRACEPARENT_HEADER);
  }
}
