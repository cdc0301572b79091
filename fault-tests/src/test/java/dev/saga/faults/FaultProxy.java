package dev.saga.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between one service and its Kafka listener that can delay what passes through it and
 * cut its connections: the fault injector for the network (Toxiproxy cannot be installed here). The
 * broker advertises the proxy's address to that service, so its clients cannot go around it.
 *
 * <p>Each direction of a connection is a reader that timestamps chunks and a writer that sends each
 * chunk once its delay has passed, so latency delays bytes without limiting throughput.
 */
final class FaultProxy implements AutoCloseable {

  private static final int CHUNK = 64 * 1024;

  private final String name;
  private final ServerSocket server;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private volatile int targetPort;
  private volatile long latencyNanos;
  private volatile boolean refusing;
  private volatile boolean closed;

  FaultProxy(String name) {
    this.name = name;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the " + name + " proxy", e);
    }
    Thread.ofPlatform().name(name + "-proxy").daemon().start(this::accept);
  }

  /** Where clients connect: 127.0.0.1 and this port. */
  int port() {
    return server.getLocalPort();
  }

  /** Where connections are forwarded to, on 127.0.0.1; connections wait for it to be set. */
  void forwardTo(int port) {
    this.targetPort = port;
  }

  /** Delays every chunk in both directions by {@code latency} from now on. */
  void latency(Duration latency) {
    this.latencyNanos = latency.toNanos();
  }

  /** Drops every open connection and refuses new ones until {@link #restore()}: a cut link. */
  void cut() {
    refusing = true;
    connections.forEach(Connection::close);
  }

  /** No more latency, and new connections are accepted again. */
  void restore() {
    latencyNanos = 0;
    refusing = false;
  }

  /** How many connections the proxy has accepted so far (refused ones included). */
  long accepted() {
    return accepted.get();
  }

  int openConnections() {
    return connections.size();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    connections.forEach(Connection::close);
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      if (refusing || targetPort == 0) {
        reset(client);
        continue;
      }
      Thread.ofVirtual().name(name + "-connect").start(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
    } catch (IOException e) {
      reset(client);
      closeQuietly(upstream);
      return;
    }
    Connection connection = new Connection(client, upstream);
    connections.add(connection);
    if (refusing) {
      connection.close();
      return;
    }
    connection.start();
  }

  /** Closes with an RST, as a broken link would, not with an orderly FIN. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // Closing anyway.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }

  private record Chunk(byte[] bytes, long dueNanos) {}

  /** One client connection and its upstream connection, pumped both ways. */
  private final class Connection {

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final Socket client;
    private final Socket upstream;
    private volatile boolean done;

    Connection(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      pump(client, upstream, "up");
      pump(upstream, client, "down");
    }

    private void pump(Socket from, Socket to, String direction) {
      BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
      Thread.ofVirtual()
          .name(name + "-" + direction + "-read")
          .start(
              () -> {
                byte[] buffer = new byte[CHUNK];
                try (InputStream in = from.getInputStream()) {
                  int read;
                  while ((read = in.read(buffer)) >= 0) {
                    queue.add(
                        new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + latencyNanos));
                  }
                } catch (IOException e) {
                  // The link broke or was cut.
                }
                queue.add(END);
              });
      Thread.ofVirtual()
          .name(name + "-" + direction + "-write")
          .start(
              () -> {
                try (OutputStream out = to.getOutputStream()) {
                  while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == END) {
                      break;
                    }
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                      TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(chunk.bytes());
                    out.flush();
                  }
                } catch (IOException e) {
                  // The link broke or was cut.
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                close();
              });
    }

    void close() {
      if (done) {
        return;
      }
      done = true;
      connections.remove(this);
      reset(client);
      reset(upstream);
    }
  }
}
