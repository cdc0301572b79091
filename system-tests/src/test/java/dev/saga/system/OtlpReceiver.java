package dev.saga.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf): what the services export
 * when an OTLP endpoint is configured, decoded with the OpenTelemetry protocol's own classes.
 */
final class OtlpReceiver implements AutoCloseable {

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", this::receive);
    server.start();
  }

  /** The endpoint to configure as {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  List<ReceivedSpan> ofTrace(String traceId) {
    return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in =
          "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
              ? new GZIPInputStream(exchange.getRequestBody())
              : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
        String service = attribute(resourceSpans.getResource(), "service.name");
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            spans.add(ReceivedSpan.of(service, span));
          }
        }
      }
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length);
      exchange.getResponseBody().write(response);
    }
  }

  private static String attribute(Resource resource, String key) {
    return resource.getAttributesList().stream()
        .filter(attribute -> attribute.getKey().equals(key))
        .map(attribute -> attribute.getValue().getStringValue())
        .findFirst()
        .orElse("?");
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * Why {@code spans} are not one tree: empty when exactly one has no parent (the root) and every
   * other's parent is among them.
   */
  static List<String> treeProblems(List<ReceivedSpan> spans) {
    Map<String, ReceivedSpan> byId =
        spans.stream()
            .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (a, b) -> a));
    List<String> problems = new ArrayList<>();
    Set<String> traces = spans.stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
    if (traces.size() != 1) {
      problems.add(traces.size() + " traces");
    }
    List<ReceivedSpan> roots =
        spans.stream().filter(span -> span.parentSpanId().isEmpty()).toList();
    if (roots.size() != 1) {
      problems.add(roots.size() + " roots: " + roots);
    }
    for (ReceivedSpan span : spans) {
      if (!span.parentSpanId().isEmpty() && !byId.containsKey(span.parentSpanId())) {
        problems.add(span + " has a parent outside the trace");
      }
    }
    return problems;
  }

  /** One received span. */
  record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      Span.SpanKind kind,
      Map<String, String> attributes,
      List<String> linkedTraceIds) {

    static ReceivedSpan of(String service, Span span) {
      HexFormat hex = HexFormat.of();
      return new ReceivedSpan(
          service,
          hex.formatHex(span.getTraceId().toByteArray()),
          hex.formatHex(span.getSpanId().toByteArray()),
          hex.formatHex(span.getParentSpanId().toByteArray()),
          span.getName(),
          span.getKind(),
          span.getAttributesList().stream()
              .collect(
                  Collectors.toMap(
                      KeyValue::getKey, kv -> kv.getValue().toString().trim(), (a, b) -> a)),
          span.getLinksList().stream()
              .map(link -> hex.formatHex(link.getTraceId().toByteArray()))
              .toList());
    }

    @Override
    public String toString() {
      return service + ":" + name;
    }
  }
}
