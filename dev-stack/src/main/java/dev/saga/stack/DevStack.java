package dev.saga.stack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The command line of the local runtime: {@code up} runs the whole system and supervises it until
 * Ctrl-C; {@code service <name>} starts one part again against a stack that is already running.
 */
public final class DevStack {

  private static final String SCRIPT = "./run-local.sh";
  private static final List<String> INFRASTRUCTURE = List.of("postgres", "kafka", "smtp");
  private static final PrintStream OUT = System.out;

  /** {@code --port-offset}: 0 for the documented ports. */
  private static int portOffset;

  /**
   * {@code --service-jvm-options}: extra JVM options of every service, {@code {service}} its name.
   */
  private static String serviceJvmOptions = "";

  /** Not {@code --no-aot-cache}: services run with the JDK's AOT cache (see {@link AotCache}). */
  private static boolean aotCache = true;

  /** The local stack's admin token for the operators' endpoints; only ever a developer's. */
  static final String ADMIN_TOKEN = "dev-admin-token";

  private DevStack() {}

  public static void main(String[] args) {
    List<String> arguments = new ArrayList<>(List.of(args));
    if (arguments.contains("--help")) {
      System.exit(usage(0));
    }
    int offsetAt = arguments.indexOf("--port-offset");
    if (offsetAt >= 0) {
      try {
        portOffset = Integer.parseInt(arguments.get(offsetAt + 1));
      } catch (RuntimeException e) {
        OUT.println("--port-offset takes a number");
        System.exit(usage(2));
      }
      arguments.subList(offsetAt, offsetAt + 2).clear();
    }
    int jvmOptionsAt = arguments.indexOf("--service-jvm-options");
    if (jvmOptionsAt >= 0) {
      if (jvmOptionsAt + 1 >= arguments.size()) {
        OUT.println("--service-jvm-options takes the options, quoted as one argument");
        System.exit(usage(2));
      }
      serviceJvmOptions = arguments.get(jvmOptionsAt + 1);
      arguments.subList(jvmOptionsAt, jvmOptionsAt + 2).clear();
    }
    aotCache = !arguments.remove("--no-aot-cache");
    String command =
        arguments.isEmpty() || arguments.get(0).startsWith("--") ? "up" : arguments.get(0);
    List<String> options =
        arguments.isEmpty() || arguments.get(0).startsWith("--")
            ? arguments
            : arguments.subList(1, arguments.size());
    int exitCode =
        switch (command) {
          case "up" -> up(options);
          case "service" -> options.size() == 1 ? service(options.get(0)) : usage(2);
          case "help", "-h" -> usage(0);
          default -> usage(2);
        };
    System.exit(exitCode);
  }

  private static int usage(int exitCode) {
    OUT.println(
        """
        Usage: %1$s [up] [--keep-data] [--no-seed] [--port-offset N] [--no-aot-cache]
                  [--service-jvm-options "..."]
               %1$s service <name> [--port-offset N] [--no-aot-cache] [--service-jvm-options "..."]

          up                 start PostgreSQL, Kafka, SMTP and the four services, seed demo data,
                             and supervise them until Ctrl-C (the default command)
            --keep-data      keep the previous run's data (default: start fresh)
            --no-seed        do not create the demo products and accounts
            --port-offset N  every port above plus N, e.g. 1000 for a second stack next to one on
                             the documented ports (its data then lives in .run-local-N)
            --no-aot-cache   run the services from their fat jars, without the JDK's AOT cache
                             (default: from <service>/target/aot/, with the cache that the first
                             run after a build writes as it stops; later starts are ~3x faster)
            --service-jvm-options "<options>"
                             extra JVM options for every service; {service} stands for its name,
                             e.g. "-Xmx256m -Xlog:gc:file=.run-local/logs/{service}-gc.log".
                             They follow those that make each service the JVM of its pod,
                             %3$s
                             (another collector: -XX:-UseSerialGC -XX:+UseG1GC)
          service <name>     start one part again, in the foreground, against the running stack:
                             %2$s,
                             or postgres, kafka, smtp
          --no-build         (run-local.sh only) skip the Maven build
        """
            .formatted(
                SCRIPT,
                String.join(", ", LocalStack.SERVICES),
                String.join(" ", LocalStack.SERVICE_JVM_OPTIONS)));
    return exitCode;
  }

  private static int up(List<String> options) {
    boolean keepData = false;
    boolean seed = true;
    for (String option : options) {
      switch (option) {
        case "--keep-data" -> keepData = true;
        case "--no-seed" -> seed = false;
        default -> {
          OUT.println("Unknown option " + option);
          return usage(2);
        }
      }
    }
    long started = System.nanoTime();
    LocalStack stack =
        configured(LocalStack.builder())
            .keepData(keepData)
            .restartHint(DevStack::restartCommand)
            .serviceEnv("SAGA_MESSAGING_ADMIN_TOKEN", ADMIN_TOKEN)
            .build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(stack), "dev-stack-shutdown"));

    say(
        "starting PostgreSQL, Kafka and SMTP in "
            + stack.baseDir()
            + (keepData ? " (keeping the previous data)" : " (fresh data)"));
    try {
      stack.startInfrastructure();
    } catch (RuntimeException e) {
      say("FAILED: " + e.getMessage());
      return 1;
    }
    say("infrastructure ready after " + seconds(started) + " s; starting the services");
    Map<String, RuntimeException> failures = stack.startServicesCollectingFailures();
    failures.forEach(
        (name, failure) -> {
          say("FAILED: " + name + " did not become ready: " + failure.getMessage());
          say("  fix it, then start it on its own with: " + restartCommand(name));
        });

    List<String> seedProblems = new ArrayList<>();
    if (seed) {
      if (failures.containsKey("inventory-service") || failures.containsKey("payment-service")) {
        seedProblems.add("skipped: the inventory or payment service is not running");
      } else {
        say("seeding demo data through the HTTP API");
        seedProblems.addAll(DemoData.seed(stack, OUT).problems());
      }
      seedProblems.forEach(problem -> say("SEEDING INCOMPLETE: " + problem));
    }
    printSummary(stack, failures, seed, seedProblems, seconds(started));
    awaitShutdown();
    return 0;
  }

  private static int service(String name) {
    boolean infrastructure = INFRASTRUCTURE.contains(name);
    if (!infrastructure && !LocalStack.SERVICES.contains(name)) {
      OUT.println("Unknown service " + name);
      return usage(2);
    }
    LocalStack.Builder builder =
        configured(LocalStack.builder())
            .keepData(true)
            .echoToConsole(true)
            .restartHint(DevStack::restartCommand)
            .serviceEnv("SAGA_MESSAGING_ADMIN_TOKEN", ADMIN_TOKEN);
    if (infrastructure) {
      builder
          .components(LocalStack.Component.valueOf(name.toUpperCase(java.util.Locale.ROOT)))
          .noServices();
    } else {
      builder.components().services(name);
    }
    LocalStack stack = builder.build();
    if (!infrastructure && !infrastructureRunning(stack.ports())) {
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  say("stopping " + name);
                  stack.close();
                  say("stopped " + name);
                },
                "dev-stack-shutdown"));
    try {
      if (infrastructure) {
        stack.startInfrastructure();
      } else {
        stack.startServices();
      }
    } catch (RuntimeException e) {
      say("FAILED: " + e.getMessage());
      return 1;
    }
    say(
        name
            + " is running"
            + (infrastructure ? "" : " at " + stack.baseUrl(name))
            + "; Ctrl-C stops it");
    while (alive(stack, name)) {
      pause(Duration.ofSeconds(1));
    }
    return 1;
  }

  private static boolean alive(LocalStack stack, String name) {
    return switch (name) {
      case "postgres" -> stack.postgres().isAlive();
      case "kafka" -> stack.kafka().isAlive();
      case "smtp" -> stack.smtp().isAlive();
      default -> stack.service(name).isAlive();
    };
  }

  private static boolean infrastructureRunning(StackPorts ports) {
    boolean running = true;
    if (!Platform.isListening("127.0.0.1", ports.postgres())) {
      say("PostgreSQL is not running on port " + ports.postgres() + ".");
      running = false;
    }
    if (!Platform.isListening("127.0.0.1", ports.kafka())) {
      say("Kafka is not running on port " + ports.kafka() + ".");
      running = false;
    }
    if (!running) {
      say("Start the stack first with " + SCRIPT + " (it keeps running in its own terminal).");
    }
    return running;
  }

  private static void shutDown(LocalStack stack) {
    say("stopping: services, then SMTP, Kafka and PostgreSQL");
    stack.close();
    // Nothing this JVM started may outlive it; anything still here is killed and named.
    List<ProcessHandle> leftovers =
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    for (ProcessHandle leftover : leftovers) {
      say(
          "killing leftover process "
              + leftover.pid()
              + " "
              + leftover.info().commandLine().orElse(""));
      leftover.destroyForcibly();
    }
    say("stopped; no process left running");
    OUT.flush();
  }

  private static void printSummary(
      LocalStack stack,
      Map<String, RuntimeException> failures,
      boolean seeded,
      List<String> seedProblems,
      long seconds) {
    StringBuilder text = new StringBuilder();
    String rule = "=".repeat(78);
    text.append(rule).append('\n');
    text.append(
        failures.isEmpty()
            ? " The order saga runs locally (up in %d s)%n".formatted(seconds)
            : " The order saga runs locally, WITHOUT %s (up in %d s)%n"
                .formatted(String.join(", ", failures.keySet()), seconds));
    text.append('\n');
    for (ServiceProcess service : stack.services()) {
      String pid = "pid " + service.pid().map(String::valueOf).orElse("?");
      String state =
          !failures.containsKey(service.name())
              ? pid
              : service.isAlive() ? "NOT READY yet, " + pid : "NOT RUNNING";
      text.append(line(service.name(), service.baseUrl() + "   (" + state + ")"));
      text.append(line("  Swagger UI", service.baseUrl() + "/swagger-ui.html"));
      text.append(line("  OpenAPI", service.baseUrl() + "/v3/api-docs"));
    }
    text.append('\n');
    text.append(line("Kafka bootstrap", stack.bootstrapServers()));
    for (String service : LocalStack.SERVICES) {
      String database = PostgresServer.databaseOf(service);
      text.append(
          line(
              service.equals(LocalStack.SERVICES.get(0)) ? "PostgreSQL" : "",
              stack.jdbcUrl(service) + "  (user and password " + database + ")"));
    }
    text.append(line("SMTP", "localhost:" + stack.smtp().port() + "  (no authentication)"));
    text.append(line("Mail web UI, API", stack.smtp().apiUrl()));
    text.append(line("Logs", stack.logsDir() + "/<name>.log"));
    if (seeded) {
      text.append(
          line(
              "Demo data",
              seedProblems.isEmpty()
                  ? "products P-1, P-2, P-3; accounts C-1 (1000.00), C-2 (10.00)"
                  : "INCOMPLETE, see above"));
    }
    text.append('\n');
    text.append(
        line(
            "Place an order",
            "curl -i -X POST "
                + stack.baseUrl("order-service")
                + "/api/orders -H 'Content-Type: application/json' \\"));
    text.append(
        line(
            "",
            "  -d '{\"customerId\": \"C-1\", \"items\": [{\"productId\": \"P-1\", \"quantity\": 2}]}'"));
    text.append(
        line(
            "Dead letters",
            "curl -H 'Authorization: Bearer "
                + ADMIN_TOKEN
                + "' "
                + stack.baseUrl("order-service")
                + "/actuator/deadletters"));
    text.append(line("", "  (POST replays them; the same on every service)"));
    text.append(line("Stop everything", "Ctrl-C here"));
    text.append(
        line(
            "Restart a service",
            "kill <pid>, then " + SCRIPT + " service <name>  (--no-build skips the build)"));
    text.append(rule);
    OUT.println(text);
  }

  private static String line(String label, String value) {
    return " %-20s %s%n".formatted(label, value);
  }

  private static String restartCommand(String name) {
    return SCRIPT
        + " service "
        + name
        + (portOffset == 0 ? "" : " --port-offset " + portOffset)
        + (aotCache ? "" : " --no-aot-cache")
        + (serviceJvmOptions.isBlank() ? "" : " --service-jvm-options '" + serviceJvmOptions + "'");
  }

  /** The ports, for a second stack its own data directory, and extra JVM options. */
  private static LocalStack.Builder configured(LocalStack.Builder builder) {
    builder.aotCache(aotCache);
    if (!serviceJvmOptions.isBlank()) {
      for (String service : LocalStack.SERVICES) {
        builder.serviceJvmOptions(
            service, List.of(serviceJvmOptions.replace("{service}", service).trim().split("\\s+")));
      }
    }
    if (portOffset == 0) {
      return builder;
    }
    return builder
        .ports(StackPorts.offset(portOffset))
        .baseDir(RepositoryLayout.locate().root().resolve(".run-local-" + portOffset));
  }

  private static void awaitShutdown() {
    try {
      // Ctrl-C or SIGTERM ends the JVM; the shutdown hook stops the stack in order.
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(Duration duration) {
    try {
      TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long seconds(long startNanos) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
  }

  private static void say(String message) {
    OUT.println("[dev-stack] " + message);
  }
}
