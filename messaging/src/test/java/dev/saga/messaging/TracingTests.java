package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.OrderPlaced;
import dev.saga.events.Topics;
import dev.saga.test.KafkaProbe;
import dev.saga.test.RecordedSpans;
import dev.saga.test.ServiceTest;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One trace crosses the outbox: the relay publishes each event in a span whose parent is the
 * context stored with the row, the consumer's span continues it, and what the consumer adds to its
 * outbox continues it again; log lines carry the trace and the order.
 */
@ServiceTest
@ExtendWith(OutputCaptureExtension.class)
class TracingTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired Outbox outbox;
  @Autowired TransactionTemplate transactions;
  @Autowired Tracer tracer;
  @Autowired SagaTracing tracing;
  @Autowired RecordedSpans spans;
  @Autowired RecordingListener listener;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void continuesTheTraceOfTheAddingSpanThroughTheRelayAndTheConsumer(CapturedOutput output) {
    OrderPlaced placed = SampleEvents.orderPlaced("C-traced");
    Span request = tracer.nextSpan().name("request").start();
    try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
      transactions.executeWithoutResult(status -> outbox.add(placed));
    } finally {
      request.end();
    }
    String traceId = request.context().traceId();

    ConsumerRecord<String, byte[]> answer =
        kafka.await(Topics.INVENTORY, r -> placed.subject().equals(r.key()), 1, WAIT).getFirst();
    List<SpanData> trace = awaitTrace(traceId, "inventory send");

    assertThat(RecordedSpans.treeProblems(trace)).isEmpty();
    SpanData root = only(trace, "request");
    SpanData published = only(trace, "orders send");
    SpanData consumed = only(trace, "orders process");
    SpanData answered = only(trace, "inventory send");
    assertThat(published.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(published.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(consumed.getParentSpanId()).isEqualTo(published.getSpanId());
    assertThat(answered.getParentSpanId()).isEqualTo(consumed.getSpanId());
    assertThat(consumed.getAttributes().asMap().toString()).contains(placed.subject());
    assertThat(header(answer, "traceparent"))
        .isEqualTo("00-" + traceId + "-" + answered.getSpanId() + "-01");
    assertThat(output.getOut())
        .contains(
            "[" + traceId + "," + consumed.getSpanId() + "," + placed.orderId() + "] ",
            "Applying OrderPlaced of customer C-traced");
  }

  @Test
  void tellsAListenerTheAttributesOfTheEventItIsApplying() {
    OrderPlaced placed = SampleEvents.orderPlaced("C-envelope");
    UUID eventId = UUID.randomUUID();
    var record = EventRecords.of(placed, eventId, "/someone");
    record
        .headers()
        .add("traceparent", bytes("00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01"));

    kafka.send(record);

    await().atMost(WAIT).until(() -> listener.envelopeOf(placed.orderId()) != null);
    EventEnvelope envelope = listener.envelopeOf(placed.orderId());
    assertThat(envelope.id()).isEqualTo(eventId);
    assertThat(envelope.type()).isEqualTo("OrderPlaced");
    assertThat(envelope.source()).isEqualTo("/someone");
    assertThat(envelope.service()).isEqualTo("someone");
    assertThat(envelope.subject()).isEqualTo(placed.subject());
    assertThat(envelope.time())
        .isEqualTo(java.time.OffsetDateTime.parse(header(record, "ce_time")).toInstant());
    assertThat(envelope.traceId()).hasValue("a".repeat(32));
  }

  @Test
  void startsLaterWorkInATraceOfItsOwnThatLinksToTheOriginalOne() {
    Span original = tracer.nextSpan().name("placed").start();
    String stored;
    try (Tracer.SpanInScope ignored = tracer.withSpan(original)) {
      stored = tracing.currentTraceParent();
    } finally {
      original.end();
    }

    try (SagaTracing.TracedWork later = tracing.linkedTo("deadline", stored)) {
      later.inScope(() -> assertThat(tracing.currentTraceParent()).isNotEqualTo(stored));
    }

    SpanData deadline =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    spans.all().stream()
                        .filter(span -> span.getName().equals("deadline"))
                        .filter(span -> !span.getLinks().isEmpty())
                        .filter(
                            span ->
                                span.getLinks()
                                    .getFirst()
                                    .getSpanContext()
                                    .getTraceId()
                                    .equals(original.context().traceId()))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(deadline.getTraceId()).isNotEqualTo(original.context().traceId());
    assertThat(deadline.getParentSpanContext().isValid()).isFalse();
    assertThat(deadline.getLinks().getFirst().getSpanContext().getSpanId())
        .isEqualTo(original.context().spanId());
  }

  @Test
  void continuesAStoredTraceOnAnotherThread() throws Exception {
    Span original = tracer.nextSpan().name("recorded").start();
    String stored;
    try (Tracer.SpanInScope ignored = tracer.withSpan(original)) {
      stored = tracing.currentTraceParent();
    } finally {
      original.end();
    }

    Thread worker =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (SagaTracing.TracedWork work = tracing.continueTrace("send mail", stored)) {
                    work.inScope(() -> {});
                  }
                });
    worker.join();

    List<SpanData> trace = awaitTrace(original.context().traceId(), "send mail");
    assertThat(RecordedSpans.treeProblems(trace)).isEmpty();
    assertThat(only(trace, "send mail").getParentSpanId()).isEqualTo(original.context().spanId());
  }

  private List<SpanData> awaitTrace(String traceId, String lastSpan) {
    return await()
        .atMost(WAIT)
        .until(
            () -> spans.ofTrace(traceId),
            trace -> trace.stream().anyMatch(span -> span.getName().equals(lastSpan)));
  }

  private static SpanData only(List<SpanData> trace, String name) {
    List<SpanData> named = trace.stream().filter(span -> span.getName().equals(name)).toList();
    assertThat(named).as("spans named '%s' in %s", name, trace).hasSize(1);
    return named.getFirst();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static String header(
      org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
