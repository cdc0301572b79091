package dev.saga.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTests {

  private ServerSocket echo;
  private FaultProxy proxy;

  @BeforeEach
  void startEchoServerBehindProxy() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket socket = echo.accept();
                  Thread.ofVirtual().start(() -> echoAll(socket));
                } catch (IOException e) {
                  return;
                }
              }
            });
    proxy = new FaultProxy("test");
    proxy.forwardTo(echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void forwardsBytesBothWays() throws IOException {
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
    }
  }

  @Test
  void delaysEachDirectionByTheLatency() throws IOException {
    try (Socket socket = connect()) {
      proxy.latency(Duration.ofMillis(150));
      long started = System.nanoTime();

      assertThat(roundTrip(socket, "slow")).isEqualTo("slow");

      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void dropsOpenConnectionsAndRefusesNewOnesWhileCut() throws IOException {
    try (Socket open = connect()) {
      assertThat(roundTrip(open, "before")).isEqualTo("before");

      proxy.cut();

      assertThatIOException().isThrownBy(() -> roundTrip(open, "during"));
      try (Socket refused = connect()) {
        assertThatIOException().isThrownBy(() -> roundTrip(refused, "during"));
      }
    }
    proxy.restore();
    try (Socket after = connect()) {
      assertThat(roundTrip(after, "after")).isEqualTo("after");
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    socket.setSoTimeout(5_000);
    return socket;
  }

  /** Writes {@code text} and reads as many bytes back; an EOF on the way is an IOException. */
  private static String roundTrip(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes());
    out.flush();
    InputStream in = socket.getInputStream();
    byte[] answer = new byte[text.length()];
    int read = 0;
    while (read < answer.length) {
      int n = in.read(answer, read, answer.length - read);
      if (n < 0) {
        throw new IOException("Connection closed");
      }
      read += n;
    }
    return new String(answer);
  }

  private static void echoAll(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // The test closed it.
    }
  }
}
