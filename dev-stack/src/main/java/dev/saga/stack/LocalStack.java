package dev.saga.stack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The whole system on one machine, each part a separate OS process: PostgreSQL, a Kafka broker, an
 * SMTP server and the services. Used by {@link DevStack} and by tests that need the real thing:
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder().baseDir(tmp).ports(StackPorts.free()).build()) {
 *   stack.start();
 *   stack.service("order-service").baseUrl(); // http://localhost:<port>
 *   stack.kafka().stop(); stack.kafka().start();
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

  /** The system's services in the order they are listed. */
  public static final List<String> SERVICES =
      List.of("order-service", "inventory-service", "payment-service", "notification-service");

  /**
   * The JVM options every service run from its jar starts with: the JVM its pod gets. Under the
   * pods' memory limit (768 MiB in {@code k8s/base}, as {@code docker-compose.yml}'s {@code
   * mem_limit}) and the image's options, the JVM picks the Serial collector by itself (below 1.8 GB
   * it does not take the machine for a server) and a heap of at most half the limit, 384 MiB,
   * starting at an eighth, 96 MiB. The JVM's default start, a 64th (12 MiB), leaves the first old
   * generation 8 MiB, less than the archived heap objects of an AOT cache trained under load (8.0
   * MiB for order-service), and with such a cache the JVM refuses to start. Here it would size the
   * heap from the whole machine instead: G1, a heap growing to a quarter of it and starting at 1/64
   * (384 MiB on 24 GiB). deploy-checks (JvmParityTests) keeps these options equal to the image's;
   * BENCHMARKS.md ("Fifteenth round") measures both. Options given to the builder come after these
   * and win; another collector needs {@code -XX:-UseSerialGC} too, and {@code -XX:MaxRAM} set by
   * hand sizes the heap even above the machine's memory.
   */
  public static final List<String> SERVICE_JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:MaxRAM=768m",
          "-XX:MaxRAMPercentage=50.0",
          "-XX:InitialRAMPercentage=12.5",
          "-XX:+ExitOnOutOfMemoryError");

  /** The infrastructure parts a stack can run. */
  public enum Component {
    POSTGRES,
    KAFKA,
    SMTP
  }

  private final Path baseDir;
  private final StackPorts ports;
  private final boolean keepData;
  private final PrintStream out;
  private final Set<Component> components;
  private final Lifecycle lifecycle = new Lifecycle();
  private final Consumer<ProcessExit> listener;
  private final Function<String, String> restartHint;
  private final Duration serviceStartTimeout;
  private final String kafkaBootstrap;
  private final PostgresServer postgres;
  private final KafkaBroker kafka;
  private final SmtpServer smtp;
  private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
  private final Map<String, Path> serviceJars = new HashMap<>();
  private final Set<String> onDemand;
  private final List<String> trainingAotCaches = new ArrayList<>();
  private boolean prepared;

  private LocalStack(Builder builder) {
    baseDir = builder.baseDir.toAbsolutePath().normalize();
    ports = builder.ports;
    keepData = builder.keepData;
    out = builder.out;
    components = EnumSet.noneOf(Component.class);
    components.addAll(builder.components);
    listener = builder.listener;
    restartHint = builder.restartHint;
    serviceStartTimeout = builder.serviceStartTimeout;
    kafkaBootstrap = builder.advertisedHost + ":" + builder.advertisedPort;
    onDemand = Set.copyOf(builder.onDemand);
    List<KafkaBroker.Listener> serviceListeners = new ArrayList<>();
    Map<String, String> serviceBootstrap = new HashMap<>();
    builder.serviceKafkaAddresses.forEach(
        (service, address) -> {
          serviceListeners.add(
              new KafkaBroker.Listener(
                  listenerName(service),
                  Platform.freePort(),
                  address.getHostString(),
                  address.getPort()));
          serviceBootstrap.put(service, address.getHostString() + ":" + address.getPort());
        });
    ManagedProcess.Factory processes =
        new ManagedProcess.Factory(logsDir(), builder.echoToConsole, this::report);
    boolean needsRepository =
        components.contains(Component.KAFKA)
            || components.contains(Component.SMTP)
            || builder.services.stream().anyMatch(ServiceDefinition::runsJar)
            || !builder.instances.isEmpty();
    RepositoryLayout repository =
        needsRepository
            ? builder.repositoryRoot == null
                ? RepositoryLayout.locate()
                : new RepositoryLayout(builder.repositoryRoot)
            : null;
    List<String> childJvmOptions = List.of(AgentJar.parentWatchOption(baseDir.resolve("tools")));

    postgres =
        components.contains(Component.POSTGRES)
            ? new PostgresServer(
                ports.postgres(),
                dataDir().resolve("postgres"),
                builder.cacheDirectory,
                SERVICES.stream().map(PostgresServer::databaseOf).toList(),
                lifecycle,
                processes)
            : null;
    kafka =
        components.contains(Component.KAFKA)
            ? new KafkaBroker(
                ports.kafka(),
                ports.kafkaController(),
                ports.kafkaInternal(),
                builder.advertisedHost,
                builder.advertisedPort,
                serviceListeners,
                dataDir().resolve("kafka"),
                repository.brokerClasspath(),
                childJvmOptions,
                lifecycle,
                processes)
            : null;
    smtp =
        components.contains(Component.SMTP)
            ? new SmtpServer(
                ports.smtp(),
                ports.mailApi(),
                repository.greenmailJar(),
                childJvmOptions,
                lifecycle,
                processes)
            : null;

    List<ServiceDefinition> definitions = new ArrayList<>(builder.services);
    definitions.addAll(builder.instances);
    Map<String, AotCache.Launch> launches =
        builder.aotCache
            ? prepareAotCaches(definitions, repository, builder.aotCacheDirectory)
            : Map.of();
    for (ServiceDefinition definition : definitions) {
      String name = definition.name();
      String system = definition.service();
      int port = ports.service(name);
      List<String> command = new ArrayList<>();
      AotCache.Launch launch = launches.get(name);
      if (definition.runsJar()) {
        Path jar = repository.serviceJar(system);
        serviceJars.put(name, jar);
        command.add(Platform.javaExecutable());
        command.addAll(SERVICE_JVM_OPTIONS);
        command.addAll(builder.serviceJvmOptions);
        command.addAll(builder.perServiceJvmOptions.getOrDefault(system, List.of()));
        if (!system.equals(name)) {
          command.addAll(builder.perServiceJvmOptions.getOrDefault(name, List.of()));
        }
        command.addAll(childJvmOptions);
        if (launch == null) {
          command.addAll(List.of("-jar", jar.toString()));
        } else {
          command.addAll(launch.jvmOptions());
          command.addAll(List.of("-jar", launch.jar().toString()));
        }
      } else {
        command.addAll(definition.command());
      }
      Map<String, String> environment = new LinkedHashMap<>();
      environment.put("SERVER_PORT", Integer.toString(port));
      environment.put(
          "KAFKA_BOOTSTRAP_SERVERS", serviceBootstrap.getOrDefault(system, kafkaBootstrap));
      String database = PostgresServer.databaseOf(system);
      environment.put("DATABASE_URL", jdbcUrl(ports.postgres(), database));
      environment.put("DATABASE_USERNAME", database);
      environment.put("DATABASE_PASSWORD", database);
      environment.put("SMTP_HOST", "localhost");
      environment.put("SMTP_PORT", Integer.toString(ports.smtp()));
      environment.putAll(builder.serviceEnvironment);
      environment.putAll(builder.perServiceEnvironment.getOrDefault(system, Map.of()));
      if (!system.equals(name)) {
        environment.putAll(builder.perServiceEnvironment.getOrDefault(name, Map.of()));
      }
      boolean training = launch != null && launch.training();
      if (training) {
        trainingAotCaches.add(name);
      }
      services.put(
          name,
          new ServiceProcess(
              name,
              port,
              processes.create(name, command, environment),
              lifecycle,
              training ? AotCache.TRAINING_STOP_GRACE : ServiceProcess.STOP_GRACE,
              training
                  ? () ->
                      out.println(
                          "[dev-stack] "
                              + name
                              + (launch.cache().afterTraining()
                                  ? " wrote its AOT cache; its next starts use it"
                                  : " did not finish writing its AOT cache; its next run trains again"))
                  : () -> {}));
    }
  }

  /**
   * Extracts the jars and chooses, per instance, whether it uses or trains its service's AOT cache
   * (the first instance of a service trains, others run without until there is a cache).
   */
  private static Map<String, AotCache.Launch> prepareAotCaches(
      List<ServiceDefinition> definitions, RepositoryLayout repository, Path directory) {
    Map<String, AotCache.Launch> launches = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, AotCache> caches = new LinkedHashMap<>();
    List<Runnable> preparations = new ArrayList<>();
    for (ServiceDefinition definition : definitions) {
      if (definition.runsJar()) {
        AotCache cache =
            caches.computeIfAbsent(
                definition.service(),
                service -> {
                  Path jar = repository.serviceJar(service);
                  return new AotCache(
                      service,
                      jar,
                      directory == null ? jar.resolveSibling("aot") : directory.resolve(service));
                });
        boolean mayTrain = definition.name().equals(definition.service());
        preparations.add(() -> launches.put(definition.name(), cache.prepare(mayTrain)));
      }
    }
    List<RuntimeException> failures = runInParallel(preparations);
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return launches;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the infrastructure, then the services in parallel, and waits until all are ready. */
  public LocalStack start() {
    startInfrastructure();
    startServices();
    return this;
  }

  /** Starts PostgreSQL, Kafka and SMTP (those this stack runs) in parallel and waits for them. */
  public void startInfrastructure() {
    checkPortsFree();
    prepare();
    List<Runnable> starts = new ArrayList<>();
    if (postgres != null) {
      starts.add(postgres::start);
    }
    if (kafka != null) {
      starts.add(kafka::start);
    }
    if (smtp != null) {
      starts.add(smtp::start);
    }
    List<String> failures = new ArrayList<>();
    for (RuntimeException failure : runInParallel(starts)) {
      failures.add(
          failure.getCause() == null || failure.getMessage().contains(failure.getCause().toString())
              ? failure.getMessage()
              : failure.getMessage() + " (" + failure.getCause() + ")");
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "The infrastructure did not start:\n  " + String.join("\n  ", failures));
    }
  }

  /**
   * The broker's listener name for the connections of {@code service}, e.g. {@code ORDER_SERVICE}.
   */
  static String listenerName(String service) {
    return service.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * Where the broker listens for the connections of a service given its own Kafka address (see
   * {@link Builder#serviceKafkaAddress}): what that address's proxy forwards to.
   */
  public int kafkaListenerPort(String service) {
    return kafka().listenerPort(listenerName(service));
  }

  /** Starts every service in parallel and waits until each is ready. */
  public void startServices() {
    Map<String, RuntimeException> failures = startServicesCollectingFailures();
    if (!failures.isEmpty()) {
      StringBuilder message = new StringBuilder("Services did not become ready:");
      failures.forEach(
          (name, failure) -> message.append("\n  ").append(name).append(": ").append(failure));
      throw new IllegalStateException(message.toString(), failures.values().iterator().next());
    }
  }

  /** Starts every service in parallel; the failures by service name, empty when all are ready. */
  Map<String, RuntimeException> startServicesCollectingFailures() {
    prepare();
    Map<String, RuntimeException> failures = new LinkedHashMap<>();
    List<Runnable> starts = new ArrayList<>();
    for (ServiceProcess service : services.values()) {
      if (onDemand.contains(service.name())) {
        continue;
      }
      starts.add(
          () -> {
            try {
              Path jar = serviceJars.get(service.name());
              if (jar != null && !Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                    jar
                        + " not found; build it: ./mvnw -q -DskipTests package -pl "
                        + service.name()
                        + " -am");
              }
              service.start();
              service.awaitReady(serviceStartTimeout);
            } catch (RuntimeException e) {
              synchronized (failures) {
                failures.put(service.name(), e);
              }
            }
          });
    }
    runInParallel(starts);
    return failures;
  }

  /** Stops the services (SIGTERM, then kill), then SMTP, Kafka and PostgreSQL. */
  @Override
  public void close() {
    lifecycle.beginClosing();
    if (trainingAotCaches.stream().anyMatch(name -> services.get(name).isAlive())) {
      out.println(
          "[dev-stack] "
              + String.join(", ", trainingAotCaches)
              + ": writing the AOT caches as they stop (first run after a build; up to a minute)");
    }
    runInParallel(services.values().stream().<Runnable>map(service -> service::stop).toList());
    List<Runnable> infrastructure = new ArrayList<>();
    if (smtp != null) {
      infrastructure.add(smtp::stop);
    }
    if (kafka != null) {
      infrastructure.add(kafka::stop);
    }
    if (postgres != null) {
      infrastructure.add(postgres::stop);
    }
    // In order: the broker may still be flushing while PostgreSQL takes its final checkpoint.
    for (Runnable stop : infrastructure) {
      try {
        stop.run();
      } catch (RuntimeException e) {
        out.println("[dev-stack] while stopping: " + e.getMessage());
      }
    }
  }

  public PostgresServer postgres() {
    return require(postgres, Component.POSTGRES);
  }

  public KafkaBroker kafka() {
    return require(kafka, Component.KAFKA);
  }

  public SmtpServer smtp() {
    return require(smtp, Component.SMTP);
  }

  public ServiceProcess service(String name) {
    ServiceProcess service = services.get(name);
    if (service == null) {
      throw new IllegalArgumentException("No service " + name + " in this stack: " + services);
    }
    return service;
  }

  public Collection<ServiceProcess> services() {
    return List.copyOf(services.values());
  }

  /** The base URL of a service, e.g. {@code http://localhost:8081}. */
  public String baseUrl(String service) {
    return service(service).baseUrl();
  }

  /** The bootstrap servers the services are given: the broker's advertised listener. */
  public String bootstrapServers() {
    return kafkaBootstrap;
  }

  /** The JDBC URL of a service's database; its user and password are the database name. */
  public String jdbcUrl(String service) {
    return jdbcUrl(ports.postgres(), PostgresServer.databaseOf(service));
  }

  public StackPorts ports() {
    return ports;
  }

  public Path baseDir() {
    return baseDir;
  }

  public Path logsDir() {
    return baseDir.resolve("logs");
  }

  public Path dataDir() {
    return baseDir.resolve("data");
  }

  private static String jdbcUrl(int port, String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database;
  }

  private <T> T require(T component, Component kind) {
    if (component == null) {
      throw new IllegalStateException(kind + " is not part of this stack");
    }
    return component;
  }

  /**
   * Before the first start, fails when a port is taken: another stack may be running on this base
   * directory, and wiping its data under it would be worse than not starting.
   */
  private synchronized void checkPortsFree() {
    if (prepared) {
      return;
    }
    Map<String, Integer> wanted = new LinkedHashMap<>();
    if (postgres != null) {
      wanted.put("PostgreSQL", ports.postgres());
    }
    if (kafka != null) {
      wanted.put("Kafka", ports.kafka());
      wanted.put("the Kafka controller", ports.kafkaController());
      wanted.put("Kafka's internal listener", ports.kafkaInternal());
    }
    if (smtp != null) {
      wanted.put("SMTP", ports.smtp());
      wanted.put("the mail web UI", ports.mailApi());
    }
    services.values().forEach(service -> wanted.put(service.name(), service.port()));
    List<String> taken = new ArrayList<>();
    wanted.forEach(
        (what, port) -> {
          if (Platform.isListening("127.0.0.1", port)) {
            taken.add(port + " (" + what + ")");
          }
        });
    if (!taken.isEmpty()) {
      throw new IllegalStateException(
          "Ports already in use: "
              + String.join(", ", taken)
              + ". Is another stack running? Stop it (Ctrl-C in its terminal) first.");
    }
  }

  /** Wipes the previous run's data and logs once, before anything starts. */
  private synchronized void prepare() {
    if (prepared) {
      return;
    }
    if (!keepData) {
      Directories.deleteRecursively(dataDir());
      Directories.deleteRecursively(logsDir());
    }
    prepared = true;
  }

  private void report(ProcessExit exit) {
    if (lifecycle.isClosing()) {
      return;
    }
    out.printf(
        "[dev-stack] %s exited unexpectedly with code %d; its log: %s%n",
        exit.name(), exit.exitCode(), exit.logFile());
    String hint = restartHint.apply(exit.name());
    if (hint != null) {
      out.println("[dev-stack]   everything else keeps running; start it again with: " + hint);
    }
    listener.accept(exit);
  }

  /** Runs the tasks on threads of their own and returns what they threw. */
  private static List<RuntimeException> runInParallel(List<Runnable> tasks) {
    List<RuntimeException> failures = new ArrayList<>();
    if (tasks.isEmpty()) {
      return failures;
    }
    ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<?>> futures = tasks.stream().<Future<?>>map(executor::submit).toList();
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          failures.add(
              e.getCause() instanceof RuntimeException runtime
                  ? runtime
                  : new IllegalStateException(e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failures.add(new IllegalStateException("Interrupted", e));
        }
      }
    } finally {
      executor.shutdownNow();
    }
    return failures;
  }

  /** Configures a {@link LocalStack}; every setting has a default for a developer's machine. */
  public static final class Builder {

    private Path baseDir;
    private Path repositoryRoot;
    private StackPorts ports = StackPorts.defaults();
    private Set<Component> components = EnumSet.allOf(Component.class);
    private List<ServiceDefinition> services =
        SERVICES.stream().map(ServiceDefinition::of).toList();
    private final Map<String, String> serviceEnvironment = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> perServiceEnvironment = new HashMap<>();
    private final List<String> serviceJvmOptions = new ArrayList<>();
    private final Map<String, List<String>> perServiceJvmOptions = new HashMap<>();
    private final List<ServiceDefinition> instances = new ArrayList<>();
    private final Set<String> onDemand = new java.util.HashSet<>();
    private final Map<String, java.net.InetSocketAddress> serviceKafkaAddresses =
        new LinkedHashMap<>();
    private String advertisedHost = "localhost";
    private Integer advertisedPort;
    private boolean keepData;
    private boolean echoToConsole;
    private Path cacheDirectory = PostgresBinaries.defaultCacheDirectory();
    private PrintStream out = System.out;
    private Consumer<ProcessExit> listener = exit -> {};
    private Function<String, String> restartHint = name -> null;
    private Duration serviceStartTimeout = ServiceProcess.DEFAULT_START_TIMEOUT;
    private boolean aotCache;
    private Path aotCacheDirectory;

    private Builder() {}

    /**
     * Runs the services from their extracted jars with the JDK's AOT cache, trained by their first
     * run after a build (see {@link AotCache}); off by default, since the training run's stop takes
     * up to a minute longer.
     */
    public Builder aotCache(boolean aotCache) {
      this.aotCache = aotCache;
      return this;
    }

    /** Where the extractions and AOT caches go, one folder per service; default its target/aot. */
    public Builder aotCacheDirectory(Path directory) {
      this.aotCacheDirectory = directory;
      return this;
    }

    /** Where data, logs and generated configuration go; default {@code <repo>/.run-local}. */
    public Builder baseDir(Path baseDir) {
      this.baseDir = baseDir;
      return this;
    }

    /** The repository with the service jars; default: found from the working directory. */
    public Builder repositoryRoot(Path repositoryRoot) {
      this.repositoryRoot = repositoryRoot;
      return this;
    }

    public Builder ports(StackPorts ports) {
      this.ports = ports;
      return this;
    }

    /** The infrastructure to run; default all of it. */
    public Builder components(Component... components) {
      this.components = Set.of(components);
      return this;
    }

    /** Runs no service: infrastructure only. */
    public Builder noServices() {
      this.services = List.of();
      return this;
    }

    /** Runs these of the system's services. */
    public Builder services(String... names) {
      this.services = java.util.Arrays.stream(names).map(ServiceDefinition::of).toList();
      return this;
    }

    public Builder services(ServiceDefinition... definitions) {
      this.services = List.of(definitions);
      return this;
    }

    /**
     * A further instance of one of the system's services (same jar, database and consumer groups,
     * its own port), which {@link LocalStack#start()} leaves stopped: start it with {@code
     * service(name).start()}.
     */
    public Builder extraInstance(String service, String name) {
      instances.add(ServiceDefinition.instance(service, name));
      onDemand.add(name);
      return this;
    }

    /**
     * Gives a service (and its further instances) a Kafka listener of its own, advertised at {@code
     * host:port}, e.g. a TCP proxy that forwards to {@link LocalStack#kafkaListenerPort}: the
     * service's clients then reach the broker only through that address.
     */
    public Builder serviceKafkaAddress(String service, String host, int port) {
      serviceKafkaAddresses.put(service, java.net.InetSocketAddress.createUnresolved(host, port));
      return this;
    }

    /** An environment variable for every service, e.g. a short saga deadline. */
    public Builder serviceEnv(String name, String value) {
      serviceEnvironment.put(name, value);
      return this;
    }

    public Builder serviceEnv(Map<String, String> environment) {
      serviceEnvironment.putAll(environment);
      return this;
    }

    /** An environment variable for one service. */
    public Builder serviceEnv(String service, String name, String value) {
      perServiceEnvironment.computeIfAbsent(service, key -> new LinkedHashMap<>()).put(name, value);
      return this;
    }

    /** JVM options (e.g. {@code -Dsaga.deadline=5s}) for every service run from its jar. */
    public Builder serviceJvmOptions(String... options) {
      serviceJvmOptions.addAll(List.of(options));
      return this;
    }

    /** JVM options for one service run from its jar, after those for all services. */
    public Builder serviceJvmOptions(String service, List<String> options) {
      perServiceJvmOptions.computeIfAbsent(service, key -> new ArrayList<>()).addAll(options);
      return this;
    }

    /** The address clients are told to use for Kafka, e.g. a TCP proxy in front of the broker. */
    public Builder kafkaAdvertisedAddress(String host, int port) {
      this.advertisedHost = host;
      this.advertisedPort = port;
      return this;
    }

    /** Keep the data of the previous run instead of starting fresh. */
    public Builder keepData(boolean keepData) {
      this.keepData = keepData;
      return this;
    }

    /** Where PostgreSQL's binaries are unpacked; default {@code ~/.cache/saga-dev-stack}. */
    public Builder cacheDirectory(Path cacheDirectory) {
      this.cacheDirectory = cacheDirectory;
      return this;
    }

    /** Copy the children's output to this JVM's stdout as well as to their log files. */
    public Builder echoToConsole(boolean echoToConsole) {
      this.echoToConsole = echoToConsole;
      return this;
    }

    /** Where the stack reports unexpected exits; default {@code System.out}. */
    public Builder out(PrintStream out) {
      this.out = out;
      return this;
    }

    /** Called when a child process ends without being asked to. */
    public Builder onUnexpectedExit(Consumer<ProcessExit> listener) {
      this.listener = listener;
      return this;
    }

    /** The command to print for restarting a process that died, by name; null prints none. */
    public Builder restartHint(Function<String, String> restartHint) {
      this.restartHint = restartHint;
      return this;
    }

    public Builder serviceStartTimeout(Duration timeout) {
      this.serviceStartTimeout = timeout;
      return this;
    }

    public LocalStack build() {
      if (baseDir == null) {
        baseDir =
            (repositoryRoot == null
                    ? RepositoryLayout.locate()
                    : new RepositoryLayout(repositoryRoot))
                .runDirectory();
      }
      if (advertisedPort == null) {
        advertisedPort = ports.kafka();
      }
      List<ServiceDefinition> all = new ArrayList<>(services);
      all.addAll(instances);
      for (ServiceDefinition service : all) {
        if (!ports.services().containsKey(service.name())) {
          ports = ports.withService(service.name(), Platform.freePort());
        }
      }
      return new LocalStack(this);
    }
  }
}
