package dev.saga.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.faults.OrderLoad.Mix;
import dev.saga.load.SagaApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the load reports a service that is down or drops its connections, without a stack. */
class OrderLoadTests {

  private static final Mix MIX = new Mix("P-1", "P-2", List.of("C-1"), "C-2");

  @Test
  void countsRefusedConnectionsAsTheServiceBeingDown() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    Map<String, Integer> failures = runAgainst(closedPort);

    assertThat(failures).containsOnlyKeys("connection refused");
  }

  @Test
  void countsConnectionsClosedWithoutAnAnswerAsLost() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!server.isClosed()) {
                  try (Socket accepted = server.accept()) {
                    accepted.getInputStream().read();
                  } catch (IOException e) {
                    // closed by the test, or by the client
                  }
                }
              });

      Map<String, Integer> failures = runAgainst(server.getLocalPort());

      assertThat(failures).containsOnlyKeys("connection lost (IOException)");
    }
  }

  private static Map<String, Integer> runAgainst(int port) {
    try (OrderLoad load =
        new OrderLoad(
                new SagaApi(), URI.create("http://127.0.0.1:" + port), MIX, 20, Duration.ofHours(1))
            .start()) {
      // Ten requests answered, whatever the machine's speed; then no more are placed.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.failures().values().stream().mapToInt(Integer::intValue).sum() >= 10);
      load.stop();

      assertThat(load.placed()).isEmpty();
      assertThat(load.failures().values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(load.attempts())
          .isPositive();
      return load.failures();
    }
  }
}
