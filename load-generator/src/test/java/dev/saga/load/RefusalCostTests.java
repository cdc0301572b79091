package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ./load-test.sh refusals}: the cost of a refused POST, per process, net of idle. */
class RefusalCostTests {

  private final HttpServer server;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong idleTicks = new AtomicLong();
  private volatile int status = 429;

  RefusalCostTests() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/orders",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          received.incrementAndGet();
          byte[] body = "{\"status\":429,\"pendingOrders\":0}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /**
   * The fake order service spends 3 ms of CPU and one transaction per POST, and 5 ms more at every
   * sample whether busy or idle: the report shows 3 ms and one transaction per refusal.
   */
  private CostCounters.Sample sample() {
    long posts = received.get();
    long idle = idleTicks.addAndGet(5);
    return new CostCounters.Sample(
        Instant.now(),
        Map.of("order_service", posts),
        0,
        Map.of(),
        Map.of("order-service", 3 * posts + idle),
        Map.of(),
        Map.of(),
        0,
        0);
  }

  private String run(boolean[] allRefused) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RefusalCost cost =
        new RefusalCost(
            new SagaApi(),
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            this::sample,
            200,
            Duration.ofSeconds(1),
            Duration.ofMillis(200),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    allRefused[0] = cost.run();
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void reportsTheCpuAndTransactionsOfEachRefusal() {
    boolean[] allRefused = new boolean[1];

    String report = run(allRefused);

    assertThat(allRefused[0]).isTrue();
    assertThat(report)
        .containsPattern("\\[refusals\\] warm-up: PT0.2S at 200/s, \\{429=\\d+\\}")
        .containsPattern("\\[refusals\\] (19\\d|20\\d) POSTs in 1\\.\\d s")
        .containsPattern("\\| order-service \\| (2\\.99\\d|3\\.00\\d) \\|")
        .contains("[order_service 1.00]");
  }

  @Test
  void failsWhenTheOrderServiceTakesTheOrders() {
    status = 422;
    boolean[] allRefused = new boolean[1];

    String report = run(allRefused);

    assertThat(allRefused[0]).isFalse();
    assertThat(report)
        .contains("answered {422=")
        .contains("nothing was refused: start the order service with max-pending 0");
  }
}
