package dev.saga.stack;

import dev.saga.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one JVM) run as a child process, with
 * every topic of the system and its dead-letter topic created; its log survives {@link #stop()} and
 * {@link #start()} within a run.
 *
 * <p>Clients use the advertised listener, which a test may point at a TCP proxy in front of the
 * broker. The stack itself talks to an internal listener that no proxy sits in front of. A service
 * may have a listener of its own ({@link Listener}), advertised at the address of a proxy that only
 * its connections go through.
 */
public final class KafkaBroker {

  /**
   * A further client listener of the broker, e.g. one service's, advertised at another address.
   *
   * @param name the listener name, upper case, e.g. {@code PAYMENT_SERVICE}
   * @param port where the broker listens for it, on 127.0.0.1
   * @param advertisedHost what clients connecting to it are told to use
   */
  public record Listener(String name, int port, String advertisedHost, int advertisedPort) {

    public Listener {
      if (!name.matches("[A-Z][A-Z0-9_]*")) {
        throw new IllegalArgumentException("Not a listener name: " + name);
      }
    }
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final int port;
  private final int controllerPort;
  private final int internalPort;
  private final String advertisedHost;
  private final int advertisedPort;
  private final List<Listener> listeners;
  private final Path dataDirectory;
  private final String classpath;
  private final List<String> jvmOptions;
  private final Lifecycle lifecycle;
  private final ManagedProcess.Factory processes;
  private ManagedProcess process;

  KafkaBroker(
      int port,
      int controllerPort,
      int internalPort,
      String advertisedHost,
      int advertisedPort,
      List<Listener> listeners,
      Path dataDirectory,
      String classpath,
      List<String> jvmOptions,
      Lifecycle lifecycle,
      ManagedProcess.Factory processes) {
    this.port = port;
    this.controllerPort = controllerPort;
    this.internalPort = internalPort;
    this.advertisedHost = advertisedHost;
    this.advertisedPort = advertisedPort;
    this.listeners = List.copyOf(listeners);
    this.dataDirectory = dataDirectory;
    this.classpath = classpath;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.lifecycle = lifecycle;
    this.processes = processes;
  }

  /** Starts the broker (formatting its storage on first start) and creates the topics. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<Integer> ports = new ArrayList<>(List.of(port, controllerPort, internalPort));
    listeners.forEach(listener -> ports.add(listener.port()));
    for (int candidate : ports) {
      if (Platform.isListening("127.0.0.1", candidate)) {
        throw new IllegalStateException(
            "Port "
                + candidate
                + " is already in use: is another stack or Kafka running? Stop it or choose other"
                + " ports.");
      }
    }
    Path config = writeConfiguration();
    Path logConfig = writeLogConfiguration();
    if (!Files.isRegularFile(logDirectory().resolve("meta.properties"))) {
      format(config);
    }
    List<String> command = new ArrayList<>();
    command.add(Platform.javaExecutable());
    command.addAll(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true"));
    command.add("-Dlog4j2.configurationFile=" + logConfig.toUri());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, "kafka.Kafka", config.toString()));
    process = processes.create("kafka", command, Map.of());
    lifecycle.start(process);
    ManagedProcess started = process;
    Poll.until(
        "the Kafka broker on port " + port,
        START_TIMEOUT,
        started::checkAlive,
        () -> {
          try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
          }
        });
    createTopics();
  }

  /** Controlled shutdown (SIGTERM): the broker flushes its logs and exits cleanly. */
  public void stop() {
    ManagedProcess current = current();
    if (current != null) {
      current.stop(ManagedProcess.StopSignal.TERM, STOP_GRACE);
    }
  }

  /** SIGKILL: the next start recovers the log. */
  public void kill() {
    ManagedProcess current = current();
    if (current != null) {
      current.kill();
    }
  }

  public boolean isAlive() {
    ManagedProcess current = current();
    return current != null && current.isAlive();
  }

  public Optional<Long> pid() {
    ManagedProcess current = current();
    return current == null ? Optional.empty() : current.pid();
  }

  /** What clients (the services) connect to: the advertised listener. */
  public String bootstrapServers() {
    return advertisedHost + ":" + advertisedPort;
  }

  /** The broker's own listener, advertised as itself: never behind a test's proxy. */
  public String internalBootstrapServers() {
    return "127.0.0.1:" + internalPort;
  }

  public int port() {
    return port;
  }

  /** Where the broker listens for the listener named {@code name} (see {@link Listener}). */
  public int listenerPort(String name) {
    return listeners.stream()
        .filter(listener -> listener.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No listener " + name + ": " + listeners))
        .port();
  }

  public Path logFile() {
    return processes.logFile("kafka");
  }

  /** An admin client on the internal listener; the caller closes it. */
  public Admin admin() {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers());
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    return Admin.create(properties);
  }

  private synchronized ManagedProcess current() {
    return process;
  }

  private Path logDirectory() {
    return dataDirectory.resolve("log");
  }

  private Path writeConfiguration() {
    String properties =
        String.join(
            "\n",
            "# Written by dev-stack on every start; edit KafkaBroker instead.",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:"
                + port
                + ",INTERNAL://127.0.0.1:"
                + internalPort
                + ",CONTROLLER://127.0.0.1:"
                + controllerPort
                + extra(listener -> listener.name() + "://127.0.0.1:" + listener.port()),
            "advertised.listeners=PLAINTEXT://"
                + advertisedHost
                + ":"
                + advertisedPort
                + ",INTERNAL://127.0.0.1:"
                + internalPort
                + extra(
                    listener ->
                        listener.name()
                            + "://"
                            + listener.advertisedHost()
                            + ":"
                            + listener.advertisedPort()),
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,"
                + "CONTROLLER:PLAINTEXT"
                + extra(listener -> listener.name() + ":PLAINTEXT"),
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=INTERNAL",
            "log.dirs=" + logDirectory(),
            "num.partitions=1",
            "default.replication.factor=1",
            "min.insync.replicas=1",
            "offsets.topic.replication.factor=1",
            // Fewer partitions than the default 50 make the first consumer group start faster.
            "offsets.topic.num.partitions=10",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            // Topics are created explicitly, as in every other environment.
            "auto.create.topics.enable=false",
            "group.initial.rebalance.delay.ms=0",
            "");
    return write(dataDirectory.resolve("server.properties"), properties);
  }

  /** The further listeners' entries, each with a leading comma. */
  private String extra(java.util.function.Function<Listener, String> entry) {
    StringBuilder entries = new StringBuilder();
    listeners.forEach(listener -> entries.append(',').append(entry.apply(listener)));
    return entries.toString();
  }

  private Path writeLogConfiguration() {
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- The broker's stdout is its log file (see the stack's logs directory). -->
        <Configuration status="WARN">
          <Appenders>
            <Console name="STDOUT" target="SYSTEM_OUT">
              <PatternLayout pattern="[%d] %p %m (%c)%n"/>
            </Console>
          </Appenders>
          <Loggers>
            <Root level="INFO"><AppenderRef ref="STDOUT"/></Root>
            <Logger name="kafka.request.logger" level="WARN"/>
            <Logger name="state.change.logger" level="WARN"/>
            <Logger name="org.apache.kafka.storage.internals.log" level="WARN"/>
            <Logger name="kafka.log.LogCleaner" level="WARN"/>
          </Loggers>
        </Configuration>
        """;
    return write(dataDirectory.resolve("log4j2.xml"), xml);
  }

  private static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private void format(Path config) {
    List<String> command =
        List.of(
            Platform.javaExecutable(),
            "-cp",
            classpath,
            "kafka.tools.StorageTool",
            "format",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            config.toString());
    Path logFile = processes.logFile("kafka");
    try {
      Files.createDirectories(logFile.getParent());
      Process formatting =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      if (!formatting.waitFor(2, TimeUnit.MINUTES) || formatting.exitValue() != 0) {
        formatting.destroyForcibly();
        throw new IllegalStateException("Formatting the Kafka storage failed; see " + logFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run the Kafka storage tool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while formatting the Kafka storage", e);
    }
  }

  /** Creates each topic of {@link Topics#ALL} and its dead-letter topic unless it exists. */
  private void createTopics() {
    List<NewTopic> topics = new ArrayList<>();
    for (Topics.Topic topic : Topics.ALL) {
      NewTopic main = new NewTopic(topic.name(), topic.partitions(), (short) 1);
      if (topic.compacted()) {
        main.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      topics.add(main);
      topics.add(new NewTopic(topic.deadLetter(), topic.partitions(), (short) 1));
    }
    try (Admin admin = admin()) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing =
          topics.stream().filter(topic -> !existing.contains(topic.name())).toList();
      for (var result : admin.createTopics(missing).values().entrySet()) {
        try {
          result.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          // A service may have created it a moment ago; that is the same topic.
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Cannot create topic " + result.getKey(), e);
          }
        }
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (e instanceof IllegalStateException illegalState) {
        throw illegalState;
      }
      throw new IllegalStateException("Cannot create the topics", e);
    }
  }
}
