package dev.saga.load;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line of the load generator and the invariant checker ({@code ./load-test.sh}): {@code
 * run} places orders and measures, {@code check} checks the invariants of any run, {@code replay}
 * rewinds a stopped service's consumer group, {@code ceiling} measures what PostgreSQL and Kafka
 * can do at most on this machine.
 */
public final class Main {

  private static final PrintStream OUT = System.out;

  private static final String USAGE =
      """
      Usage: ./load-test.sh [run] [options]     place orders, wait until all are terminal, report
             ./load-test.sh check [options]     check the invariants once the system is quiet
             ./load-test.sh replay --group <consumer group> [--topics t1,t2] [options]
                                                rewind a stopped service's group (all its topics)
             ./load-test.sh ceiling [options]   PostgreSQL and Kafka at most, on this machine
             ./load-test.sh refusals [options]  what a refused order costs, against an order
                                                service started with SAGA_ORDER_MAX_PENDING=0
             ./load-test.sh profile <file.jfr>...
                                                where each recording's CPU time goes, by library,
                                                method and entry point (BENCHMARKS.md)

      Where the system is (defaults: the stack ./run-local.sh starts):
        --port-offset N        every default port plus N (8081+N ..., Kafka 9092+N, PostgreSQL 5432+N)
        --order-url URL --inventory-url URL --payment-url URL --notification-url URL
        --kafka HOST:PORT      the broker (outcome events, offsets)
        --postgres HOST:PORT   the databases: <service>_service, user and password alike
        --smtp-port PORT       the SMTP server, only to measure its CPU time (default 1025+N)

      run:
        --rate R               open loop: R orders per second, whatever the system does (default 50)
        --closed C             closed loop instead: C customers, each waits for its order's outcome
        --duration 60s         how long to place orders           --orders N   or stop after N orders
        --warmup 0s            a first, unmeasured phase at the same load
        --mix paid=80,out-of-stock=5,declined=5,cancel=5,hot=5
        --hot-stock 10         units of each of the 3 hot products
        --no-idempotency-key   POST without an Idempotency-Key
        --cost                 count DB transactions, Kafka records and CPU time per order (+30 s)
        --check                run the invariant checker afterwards
        --timeout 180s         how long to wait for the outcomes and the quiet state
        --progress 1s          how often to print a progress line
      check:
        --timeout 180s         how long to wait for the quiet state first
        --save-state FILE      write what the checker saw (compare it after a replay)
        --compare-state FILE   invariant 5: report everything that differs from FILE
      refusals:
        --rate 300             POSTs per second (each refused)     --duration 30s   --warmup 60s
      ceiling:
        --step 5s              how long each measurement runs
        --admin-user postgres --admin-password postgres   a role that may create scratch tables

      Exit status: 0 when everything held; 1 on a violation, an error or an order left
      non-terminal; 2 when the system did not become quiet; 64 on a usage error.
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    List<String> arguments = new ArrayList<>(List.of(args));
    boolean help =
        arguments.contains("--help")
            || arguments.contains("-h")
            || (!arguments.isEmpty() && arguments.getFirst().equals("help"));
    String command =
        arguments.isEmpty() || arguments.getFirst().startsWith("--")
            ? "run"
            : arguments.removeFirst();
    if (help) {
      OUT.println(USAGE);
      return 0;
    }
    if (command.equals("profile")) {
      return profile(arguments);
    }
    Options options;
    try {
      options = Options.parse(arguments);
    } catch (IllegalArgumentException e) {
      OUT.println(e.getMessage());
      OUT.println(USAGE);
      return 64;
    }
    try {
      return switch (command) {
        case "run" -> load(options);
        case "check" -> check(options);
        case "replay" -> replay(options);
        case "ceiling" -> ceiling(options);
        case "refusals" -> refusals(options);
        default -> {
          OUT.println("Unknown command " + command);
          OUT.println(USAGE);
          yield 64;
        }
      };
    } catch (IllegalArgumentException e) {
      OUT.println(e.getMessage());
      return 64;
    } catch (Exception e) {
      OUT.println("[load] failed: " + e);
      return 1;
    }
  }

  /** Recordings, not options: each argument is a JFR file. */
  static int profile(List<String> recordings) {
    if (recordings.isEmpty() || recordings.stream().anyMatch(r -> r.startsWith("--"))) {
      OUT.println("profile takes one or more JFR recordings and no options");
      OUT.println(USAGE);
      return 64;
    }
    for (String recording : recordings) {
      Path path = Path.of(recording);
      try {
        CpuProfile.read(path).print(path, OUT, 25);
      } catch (Exception e) {
        OUT.println("[load] cannot read " + recording + ": " + e);
        return 1;
      }
    }
    return 0;
  }

  private static int load(Options options) {
    Endpoints endpoints = options.endpoints();
    double rate = options.number("rate", 50);
    int closed = (int) options.number("closed", 0);
    LoadSettings settings =
        new LoadSettings(
            endpoints,
            options.kafka(),
            options.processPorts(),
            closed > 0 ? 0 : rate,
            closed,
            options.duration("duration", Duration.ofSeconds(60)),
            (int) options.number("orders", 0),
            options.duration("warmup", Duration.ZERO),
            Mix.parse(options.text("mix", Mix.DEFAULT.toString())),
            (int) options.number("hot-stock", 10),
            !options.flag("no-idempotency-key"),
            options.flag("cost"),
            options.duration("timeout", Duration.ofSeconds(180)),
            options.duration("progress", Duration.ofSeconds(1)));
    boolean checkAfterwards = options.flag("check");
    options.checkAllUsed();
    SagaApi api = new SagaApi();
    LoadReport report = new LoadGenerator(settings, api, OUT).run();
    OUT.println();
    OUT.println(report.render());
    // One line for scripts (scripts/benchmark.sh reads the maximum from it).
    OUT.printf(
        java.util.Locale.ROOT,
        "[load] result: completed/s %.1f, terminal %d of %d, errors %d%n",
        report.completedPerSecond(),
        report.terminal(),
        report.placed(),
        report.errors().values().stream().mapToLong(Long::longValue).sum());
    int status = 0;
    if (!report.allTerminal()) {
      OUT.println(
          "NOT TERMINAL: "
              + (report.placed() - report.terminal())
              + " orders, e.g. "
              + report.notTerminal(10));
      status = 1;
    }
    if (!report.errors().isEmpty()) {
      status = 1;
    }
    if (checkAfterwards) {
      int checked = check(new InvariantChecker(api, endpoints), settings.timeout(), null, null);
      status = Math.max(status, checked);
    }
    return status;
  }

  private static int check(Options options) throws Exception {
    Duration timeout = options.duration("timeout", Duration.ofSeconds(180));
    String save = options.text("save-state", null);
    String compare = options.text("compare-state", null);
    Endpoints endpoints = options.endpoints();
    options.checkAllUsed();
    return check(
        new InvariantChecker(new SagaApi(), endpoints),
        timeout,
        save == null ? null : Path.of(save),
        compare == null ? null : Path.of(compare));
  }

  /** Checks and prints every violation; the exit status. */
  static int check(InvariantChecker checker, Duration timeout, Path save, Path compare) {
    JsonMapper json = JsonMapper.builder().build();
    boolean quiet = checker.awaitQuiet(timeout);
    if (!quiet) {
      OUT.println(
          "[check] the system did not become quiet within "
              + timeout
              + "; checking anyway, violations may be transient");
    }
    InvariantChecker.Report report = checker.check();
    List<Violation> violations = new ArrayList<>(report.violations());
    if (compare != null) {
      Map<String, String> before =
          json.readValue(compare.toFile(), new TypeReference<TreeMap<String, String>>() {});
      violations.addAll(InvariantChecker.compare(before, report.state()));
    }
    if (save != null) {
      try {
        Files.createDirectories(save.toAbsolutePath().getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(save.toFile(), report.state());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    violations.forEach(OUT::println);
    OUT.println(
        "[check] "
            + report
                .summary()
                .replaceFirst(
                    report.violations().size() + " violations|no violations",
                    violations.isEmpty() ? "no violations" : violations.size() + " violations"));
    if (!violations.isEmpty()) {
      return 1;
    }
    return quiet ? 0 : 2;
  }

  private static int replay(Options options) {
    String group = options.text("group", null);
    String topics = options.text("topics", null);
    String kafka = options.kafka();
    options.checkAllUsed();
    if (group == null) {
      throw new IllegalArgumentException("replay needs --group");
    }
    Map<TopicPartition, Long> redelivered =
        Replay.fromStart(kafka, group, topics == null ? List.of() : List.of(topics.split(",")));
    Map<String, Long> byTopic = new TreeMap<>();
    redelivered.forEach((partition, count) -> byTopic.merge(partition.topic(), count, Long::sum));
    OUT.println(
        "[replay] "
            + group
            + " will receive again, once it starts: "
            + byTopic
            + " records. Start the service, then: ./load-test.sh check --compare-state <file>");
    return 0;
  }

  private static int ceiling(Options options) throws Exception {
    String postgres = options.postgres();
    Endpoints.Database admin =
        new Endpoints.Database(
            "jdbc:postgresql://" + postgres + "/postgres",
            options.text("admin-user", "postgres"),
            options.text("admin-password", "postgres"));
    Duration step = options.duration("step", Duration.ofSeconds(5));
    String kafka = options.kafka();
    options.checkAllUsed();
    new Ceiling(admin, kafka, step, OUT).run();
    return 0;
  }

  private static int refusals(Options options) {
    Endpoints endpoints = options.endpoints();
    double rate = options.number("rate", 300);
    Duration duration = options.duration("duration", Duration.ofSeconds(30));
    Duration warmup = options.duration("warmup", Duration.ofSeconds(60));
    try (CostCounters counters =
        new CostCounters(endpoints.orderDatabase(), options.kafka(), options.processPorts())) {
      options.checkAllUsed();
      boolean allRefused =
          new RefusalCost(
                  new SagaApi(), endpoints.order(), counters::sample, rate, duration, warmup, OUT)
              .run();
      return allRefused ? 0 : 1;
    }
  }

  /** {@code --name value}, {@code --name=value} and {@code --flag} options. */
  static final class Options {

    private final Map<String, String> values;
    private final Map<String, Boolean> used = new HashMap<>();

    private Options(Map<String, String> values) {
      this.values = values;
    }

    static Options parse(List<String> arguments) {
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < arguments.size(); i++) {
        String argument = arguments.get(i);
        if (!argument.startsWith("--")) {
          throw new IllegalArgumentException("Unexpected argument " + argument);
        }
        String name = argument.substring(2);
        if (name.contains("=")) {
          values.put(name.substring(0, name.indexOf('=')), name.substring(name.indexOf('=') + 1));
        } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
          values.put(name, arguments.get(++i));
        } else {
          values.put(name, "true");
        }
      }
      return new Options(values);
    }

    String text(String name, String otherwise) {
      used.put(name, true);
      return values.getOrDefault(name, otherwise);
    }

    boolean flag(String name) {
      return Boolean.parseBoolean(text(name, "false"));
    }

    double number(String name, double otherwise) {
      String value = text(name, null);
      try {
        return value == null ? otherwise : Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " takes a number, not " + value);
      }
    }

    /** {@code 90s}, {@code 2m}, {@code 500ms} or an ISO-8601 duration. */
    Duration duration(String name, Duration otherwise) {
      String value = text(name, null);
      if (value == null) {
        return otherwise;
      }
      try {
        if (value.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
          return Duration.ofMillis(
              (long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
        }
        if (value.endsWith("m")) {
          return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
        }
        return Duration.parse(value);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--" + name + " takes a duration like 60s, not " + value);
      }
    }

    int offset() {
      return (int) number("port-offset", 0);
    }

    String kafka() {
      return text("kafka", "localhost:" + (9092 + offset()));
    }

    String postgres() {
      return text("postgres", "localhost:" + (5432 + offset()));
    }

    Endpoints endpoints() {
      int offset = offset();
      String postgres = postgres();
      return new Endpoints(
          URI.create(text("order-url", "http://localhost:" + (8081 + offset))),
          URI.create(text("inventory-url", "http://localhost:" + (8082 + offset))),
          URI.create(text("payment-url", "http://localhost:" + (8083 + offset))),
          URI.create(text("notification-url", "http://localhost:" + (8084 + offset))),
          database(postgres, "order_service"),
          database(postgres, "inventory_service"),
          database(postgres, "payment_service"));
    }

    /** The ports of the stack's processes on this machine, to measure their CPU time. */
    Map<String, Integer> processPorts() {
      Endpoints endpoints = endpoints();
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("order-service", endpoints.order().getPort());
      ports.put("inventory-service", endpoints.inventory().getPort());
      ports.put("payment-service", endpoints.payment().getPort());
      ports.put("notification-service", endpoints.notification().getPort());
      CostCounters.port(kafka()).ifPresent(port -> ports.put("kafka", port));
      CostCounters.port(postgres()).ifPresent(port -> ports.put("postgres", port));
      ports.put("smtp", (int) number("smtp-port", 1025 + offset()));
      return ports;
    }

    private static Endpoints.Database database(String postgres, String name) {
      return new Endpoints.Database("jdbc:postgresql://" + postgres + "/" + name, name, name);
    }

    /** Fails on an option no command asked for: a typo must not be silently ignored. */
    void checkAllUsed() {
      for (String name : values.keySet()) {
        if (!used.containsKey(name)) {
          throw new IllegalArgumentException("Unknown option --" + name);
        }
      }
    }
  }
}
