package dev.saga.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for a service in supervision tests: answers the readiness probe on {@code
 * SERVER_PORT}, exits with the code asked for on {@code /exit?code=N}, and with {@code
 * --with-grandchild} starts a long-lived child process of its own.
 */
public final class FakeService {

  private FakeService() {}

  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("--with-grandchild")) {
      new ProcessBuilder("sleep", "600").start();
    }
    int port = Integer.parseInt(System.getenv("SERVER_PORT"));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/actuator/health/readiness", exchange -> respond(exchange, "{\"status\":\"UP\"}"));
    server.createContext(
        "/exit",
        exchange -> {
          int code = Integer.parseInt(exchange.getRequestURI().getQuery().replace("code=", ""));
          respond(exchange, "bye");
          // Exit after the response is out, so the caller sees it answered.
          new Thread(() -> System.exit(code)).start();
        });
    server.start();
    System.out.println("fake service listening on " + port);
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
