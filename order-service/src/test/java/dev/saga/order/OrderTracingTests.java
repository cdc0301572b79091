package dev.saga.order;

import static dev.saga.order.OrderApi.orderBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.ProductChanged;
import dev.saga.events.Topics;
import dev.saga.messaging.SagaTracing;
import dev.saga.test.KafkaProbe;
import dev.saga.test.RecordedSpans;
import dev.saga.test.ServiceTest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An order's trace starts with {@code POST /api/orders} and crosses the outbox; work that starts
 * later for the order (its customer's cancel, the saga deadline) is a trace of its own that links
 * to the order's; log lines carry the trace and the order.
 */
@ServiceTest
@ExtendWith(OutputCaptureExtension.class)
class OrderTracingTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired RecordedSpans spans;

  private final KafkaProbe kafka = KafkaProbe.onSharedBroker();
  private OrderApi api;
  private SagaProbe saga;
  private ProductChanged product;

  @BeforeEach
  void seedCatalog() {
    api = new OrderApi(port);
    saga = new SagaProbe(kafka, api);
    product = TestCatalog.product("4.00");
    new TestCatalog(kafka, jdbc).publish(product);
  }

  @AfterEach
  void closeProbe() {
    kafka.close();
  }

  @Test
  void publishesTheOrderInTheTraceOfTheRequestThatPlacedIt(CapturedOutput output) {
    UUID orderId = saga.place(orderBody("C-" + UUID.randomUUID(), product.productId(), 1));

    ConsumerRecord<String, byte[]> placed = published(orderId, "OrderPlaced");
    String traceId = traceIdOf(placed);
    List<SpanData> trace = awaitSpans(traceId, "orders send");

    assertThat(RecordedSpans.treeProblems(trace)).isEmpty();
    SpanData request = root(trace);
    assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(request.getName()).contains("post");
    SpanData send = named(trace, "orders send");
    assertThat(send.getParentSpanId()).isEqualTo(request.getSpanId());
    assertThat(spanIdOf(placed)).isEqualTo(send.getSpanId());
    assertThat(request.getAttributes().asMap().toString())
        .contains(SagaTracing.ORDER_ID_TAG + "=" + orderId);
    assertThat(api.get("/api/orders/" + orderId + "/timeline").body().get("traceId").asString())
        .isEqualTo(traceId);
    assertThat(output.getOut())
        .contains("[" + traceId + "," + request.getSpanId() + "," + orderId + "] ");
  }

  @Test
  void linksTheCustomersCancelToTheTraceTheOrderWasPlacedIn(CapturedOutput output) {
    UUID orderId = saga.place(orderBody("C-" + UUID.randomUUID(), product.productId(), 1));
    String placedIn = traceIdOf(published(orderId, "OrderPlaced"));

    assertThat(api.post("/api/orders/" + orderId + "/cancel").status()).isEqualTo(202);

    ConsumerRecord<String, byte[]> cancel = published(orderId, "CancelOrder");
    String cancelledIn = traceIdOf(cancel);
    assertThat(cancelledIn).isNotEqualTo(placedIn);
    List<SpanData> trace = awaitSpans(cancelledIn, "orders send");
    assertThat(RecordedSpans.treeProblems(trace)).isEmpty();
    SpanData cancelSpan = named(trace, "order cancel");
    assertThat(cancelSpan.getParentSpanId()).isEqualTo(root(trace).getSpanId());
    assertThat(cancelSpan.getLinks())
        .singleElement()
        .satisfies(link -> assertThat(link.getSpanContext().getTraceId()).isEqualTo(placedIn));
    assertThat(named(trace, "orders send").getParentSpanId()).isEqualTo(cancelSpan.getSpanId());
    assertThat(output.getOut())
        .contains(
            "[" + cancelledIn + "," + cancelSpan.getSpanId() + "," + orderId + "] ",
            "Order CANCELLED (CUSTOMER_CANCELLED)");
  }

  @Test
  void startsTheDeadlinesCancelInATraceOfItsOwnLinkedToTheOrders() {
    UUID orderId = saga.place(orderBody("C-" + UUID.randomUUID(), product.productId(), 1));
    String placedIn = traceIdOf(published(orderId, "OrderPlaced"));

    ConsumerRecord<String, byte[]> cancel = published(orderId, "CancelOrder");

    String cancelledIn = traceIdOf(cancel);
    assertThat(cancelledIn).isNotEqualTo(placedIn);
    List<SpanData> trace = awaitSpans(cancelledIn, "orders send");
    assertThat(RecordedSpans.treeProblems(trace)).isEmpty();
    SpanData deadline = root(trace);
    assertThat(deadline.getName()).isEqualTo("order deadline");
    assertThat(deadline.getLinks())
        .singleElement()
        .satisfies(link -> assertThat(link.getSpanContext().getTraceId()).isEqualTo(placedIn));
    assertThat(deadline.getAttributes().asMap().toString()).contains(orderId.toString());
  }

  private ConsumerRecord<String, byte[]> published(UUID orderId, String type) {
    return kafka
        .await(
            Topics.ORDERS,
            r -> r.key().equals(orderId.toString()) && header(r, "ce_type").equals(type),
            1,
            WAIT)
        .getFirst();
  }

  private List<SpanData> awaitSpans(String traceId, String name) {
    return await()
        .atMost(WAIT)
        .until(
            () -> spans.ofTrace(traceId),
            trace ->
                trace.stream().anyMatch(span -> span.getName().equals(name))
                    && RecordedSpans.treeProblems(trace).isEmpty());
  }

  private static SpanData root(List<SpanData> trace) {
    return trace.stream()
        .filter(span -> !span.getParentSpanContext().isValid())
        .findFirst()
        .orElseThrow();
  }

  private static SpanData named(List<SpanData> trace, String name) {
    return trace.stream()
        .filter(span -> span.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + trace));
  }

  private static String traceIdOf(ConsumerRecord<String, byte[]> record) {
    return header(record, "traceparent").split("-")[1];
  }

  private static String spanIdOf(ConsumerRecord<String, byte[]> record) {
    return header(record, "traceparent").split("-")[2];
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
