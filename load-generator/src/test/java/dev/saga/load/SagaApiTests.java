package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a customer answers the order service's 429 and 503: later, with the same request. */
class SagaApiTests {

  private final HttpServer server;
  private final List<String> keys = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private final List<String> rules = new CopyOnWriteArrayList<>();
  private volatile int refuseFirst;
  private volatile int refusalStatus = 429;
  private volatile double jitter;

  SagaApiTests() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/orders",
        exchange -> {
          keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
          exchange.getRequestBody().readAllBytes();
          boolean refuse = keys.size() <= refuseFirst;
          byte[] body =
              (!refuse
                      ? "{\"orderId\":\"o-1\"}"
                      : refusalStatus == 503
                          ? "{\"status\":503,\"title\":\"Service Unavailable\"}"
                          : keys.size() == 1
                              ? "{\"status\":429,\"pendingOrders\":32}"
                              : "{\"status\":429,\"behindMillis\":2500}")
                  .getBytes(StandardCharsets.UTF_8);
          if (refuse) {
            exchange.getResponseHeaders().add("Retry-After", "1");
          }
          exchange.sendResponseHeaders(refuse ? refusalStatus : 201, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void triesARefusedOrderAgainAfterRetryAfterWithTheSameKey() {
    refuseFirst = 2;
    Instant started = Instant.now();

    SagaApi.Placement attempt = post(Duration.ofSeconds(30));

    assertThat(attempt.response().status()).isEqualTo(201);
    assertThat(refusals).hasValue(2);
    assertThat(rules).containsExactly("pending orders", "listeners behind");
    assertThat(keys).containsExactly("k-1", "k-1", "k-1");
    assertThat(Duration.between(started, attempt.sentAt()))
        .as("sent after two Retry-After pauses")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void givesUpWithTheLast429OnceItsTimeoutHasPassed() {
    refuseFirst = Integer.MAX_VALUE;

    SagaApi.Placement attempt = post(Duration.ofMillis(1_500));

    assertThat(attempt.response().status()).isEqualTo(429);
    assertThat(keys).hasSize(3);
    assertThat(refusals).hasValue(2);
  }

  @Test
  void waitsUpToTwiceRetryAfterSoRefusedCustomersDoNotComeBackTogether() {
    refuseFirst = 1;
    jitter = 0.75;
    Instant started = Instant.now();

    SagaApi.Placement attempt = post(Duration.ofSeconds(30));

    assertThat(attempt.response().status()).isEqualTo(201);
    assertThat(Duration.between(started, attempt.sentAt()))
        .as("Retry-After 1 s and three quarters of it again")
        .isGreaterThanOrEqualTo(Duration.ofMillis(1_750));
  }

  @Test
  void tellsTheRuleThatRefusedAnOrderFromItsProblemDetails() {
    refuseFirst = 1;
    post(Duration.ofSeconds(30));
    assertThat(rules).containsExactly("pending orders");

    assertThat(SagaApi.refusal(new SagaApi.Response(429, null, null))).isEqualTo("other");
  }

  @Test
  void triesAnOrderAgainAfterA503WithRetryAfterWhenItCarriesAnIdempotencyKey() {
    refuseFirst = 1;
    refusalStatus = 503;

    SagaApi.Placement attempt = post(Duration.ofSeconds(30));

    assertThat(attempt.response().status()).isEqualTo(201);
    assertThat(rules).containsExactly("unavailable");
    assertThat(keys).containsExactly("k-1", "k-1");
  }

  @Test
  void returnsA503AtOnceWhenTheOrderHasNoIdempotencyKeyToMakeASecondPostSafe() {
    refuseFirst = 1;
    refusalStatus = 503;

    SagaApi.Placement attempt = post(Duration.ofSeconds(30), "X-Request-Id", "Idempotency-Key");

    assertThat(attempt.response().status()).isEqualTo(503);
    assertThat(refusals).hasValue(0);
    assertThat(keys).containsExactly((String) null);
  }

  private SagaApi.Placement post(Duration giveUpAfter) {
    return post(giveUpAfter, "Idempotency-Key", "k-1");
  }

  private SagaApi.Placement post(Duration giveUpAfter, String... headers) {
    return new SagaApi()
        .placeOrder(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            Map.of("customerId", "C-1"),
            giveUpAfter,
            refusal -> {
              refusals.incrementAndGet();
              rules.add(SagaApi.refusal(refusal));
            },
            () -> jitter,
            headers);
  }
}
