package dev.saga.test;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An in-memory span exporter: the spans a service under test ended, most recent {@value #CAPACITY},
 * and what makes a set of them one trace tree.
 */
public final class RecordedSpans implements SpanExporter {

  static final int CAPACITY = 20_000;

  private final ConcurrentLinkedDeque<SpanData> spans = new ConcurrentLinkedDeque<>();

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    spans.addAll(batch);
    while (spans.size() > CAPACITY) {
      spans.pollFirst();
    }
    return CompletableResultCode.ofSuccess();
  }

  /** The recorded spans of one trace. */
  public List<SpanData> ofTrace(String traceId) {
    return spans.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
  }

  /** Every recorded span. */
  public List<SpanData> all() {
    return new ArrayList<>(spans);
  }

  /**
   * Why {@code spans} are not one tree: empty when exactly one of them has no parent among them
   * (the root) and every other's parent is one of them; otherwise the orphans and extra roots.
   */
  public static List<String> treeProblems(Collection<SpanData> spans) {
    Map<String, SpanData> byId =
        spans.stream()
            .collect(Collectors.toMap(SpanData::getSpanId, Function.identity(), (a, b) -> a));
    Set<String> traces = spans.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    if (traces.size() != 1) {
      problems.add("spans of " + traces.size() + " traces: " + traces);
    }
    List<SpanData> roots =
        spans.stream().filter(span -> !span.getParentSpanContext().isValid()).toList();
    if (roots.size() != 1) {
      problems.add(roots.size() + " roots: " + names(roots));
    }
    for (SpanData span : spans) {
      if (span.getParentSpanContext().isValid()
          && !byId.containsKey(span.getParentSpanContext().getSpanId())) {
        problems.add("'" + span.getName() + "' has a parent that is not in the trace");
      }
    }
    return problems;
  }

  private static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).toList();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
