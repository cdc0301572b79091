package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.load.SagaApi;
import dev.saga.stack.LocalStack;
import dev.saga.stack.StackPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README as a user follows it: {@code ./run-local.sh} starts the stack (with {@code
 * --no-build}, since the build ran, and {@code --port-offset}, so it never meets a developer's
 * stack) from the AOT caches LoadSystemTests trained (it trains them itself if there are none),
 * then the "Try it" block and the timeline request run as written, with curl, one command after the
 * other; only the ports differ. What each command's comment says it shows is checked. The load-test
 * block runs as written too, against the same stack. Last, stopping the script (SIGTERM, which it
 * handles as Ctrl-C) stops everything it started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeSystemTests {

  private static final Duration OUTCOME = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final SagaApi api = new SagaApi();

  private static RunLocal runLocal;

  @BeforeAll
  static void runLocalStartsTheStackAndSeedsIt() throws IOException {
    runLocal = RunLocal.up();
    String started =
        runLocal.stack().awaitOutput(" The order saga runs locally", Duration.ofMinutes(5));
    assertThat(started)
        .doesNotContain("FAILED", "WITHOUT", "INCOMPLETE")
        .contains("products P-1, P-2, P-3; accounts C-1 (1000.00), C-2 (10.00)");
    for (String service : LocalStack.SERVICES) {
      String log = Files.readString(runLocal.log(service));
      assertThat(log)
          .as("%s runs with an AOT cache (trained now if LoadSystemTests left none)", service)
          .contains("-XX:AOTCache");
      System.out.printf(
          "%s: %s%n",
          service, log.contains("-XX:AOTCacheOutput=") ? "training its cache" : "from its cache");
    }
  }

  @AfterAll
  static void stopWhatIsLeft() throws IOException {
    if (runLocal != null) {
      runLocal.close();
    }
  }

  @Test
  @Order(1)
  void everyCommandOfTryItDoesWhatItsCommentSays() throws Exception {
    Walkthrough readme =
        new Walkthrough(
            Files.readString(Repository.path("README.md")),
            runLocal.ports(),
            "\n### Try it\n",
            "\n**Timeline.**");

    Result placed =
        readme.runAnswering(201, "-X POST localhost:8081/api/orders", "Idempotency-Key");
    Matcher location = Pattern.compile("(?im)^Location: /api/orders/(\\S+)$").matcher(placed.out());
    assertThat(location.find()).as(placed.out()).isTrue();
    String orderId = location.group(1);
    assertThat(placed.out()).contains("\"status\":\"PENDING\"");
    readme.set("<orderId>", orderId);

    Result confirmed =
        readme.runUntil(
            "localhost:8081/api/orders/<orderId>",
            result -> result.json().get("status").asString().equals("CONFIRMED"));
    assertThat(confirmed.json().get("history").toString()).contains("CONFIRMED");
    assertThat(readme.run("api/orders?customerId=C-1").out()).contains(orderId);
    Result cancel = readme.runAnswering(409, "/api/orders/<orderId>/cancel"); // it is CONFIRMED
    assertThat(cancel.out()).contains("application/problem+json");

    JsonNode outOfStock = terminal(readme.run("\"productId\": \"P-3\", \"quantity\": 3").json());
    assertThat(outOfStock.get("cancellationReason").asString()).isEqualTo("OUT_OF_STOCK");
    assertThat(product("P-3").get("available").asInt()).as("P-3 stock unchanged").isEqualTo(2);
    JsonNode declined = terminal(readme.run("\"customerId\": \"C-2\"").json());
    assertThat(declined.get("cancellationReason").asString()).isEqualTo("PAYMENT_DECLINED");
    await()
        .atMost(OUTCOME)
        .untilAsserted(
            () -> {
              JsonNode released = product("P-2");
              assertThat(released.get("available").asInt()).as("P-2 available").isEqualTo(50);
              assertThat(released.get("reserved").asInt()).as("P-2 reserved").isZero();
            });

    assertThat(readme.run("api/products/P-4").json().get("available").asInt()).isEqualTo(10);
    assertThat(readme.run("api/products/P-1").json().get("name").asString())
        .isEqualTo("Espresso cup");
    assertThat(readme.run("api/products?page").out()).contains("P-1", "P-2", "P-3", "P-4");
    assertThat(readme.run("api/accounts/C-3").json().get("balance").decimalValue())
        .isEqualByComparingTo("50.00");
    assertThat(readme.run("api/accounts/C-1").json().get("balance").decimalValue())
        .as("C-1 paid 2 × 12.50")
        .isEqualByComparingTo("975.00");
    assertThat(readme.run("api/payments?orderId=<orderId>").out()).contains(orderId);
    readme.runUntil(
        "api/notifications?orderId=<orderId>", result -> result.out().contains(orderId));

    Result quiet = readme.runUntil("health/quiet", result -> result.status() == 200);
    assertThat(quiet.json().get("status").asString()).isEqualTo("UP");
    assertThat(readme.run("actuator/deadletters -H").json().get("count").asInt()).isZero();
    readme.run("-X POST localhost:8081/actuator/deadletters");

    JsonNode timeline =
        readme
            .runUntil(
                "api/orders/<orderId>/timeline",
                result -> result.json().toString().contains("\"NotificationSent\""))
            .json();
    assertThat(timeline.get("status").asString()).isEqualTo("CONFIRMED");
    List<JsonNode> events = timeline.get("events").valueStream().toList();
    assertThat(events.getFirst().get("type").asString()).isEqualTo("OrderPlaced");
    assertThat(events.getFirst().get("service").asString()).isEqualTo("order-service");
    assertThat(events)
        .anySatisfy(
            event -> {
              assertThat(event.get("service").asString()).isEqualTo("inventory-service");
              assertThat(event.get("type").asString()).isEqualTo("InventoryUpdated");
              assertThat(event.get("detail").asString()).isEqualTo("RESERVED");
            });
    assertThat(events.getLast().get("service").asString()).isEqualTo("notification-service");
    assertThat(events.getLast().get("type").asString()).isEqualTo("NotificationSent");
    assertThat(events.getLast().get("detail").asString()).isEqualTo("CONFIRMED");
    assertThat(readme.remaining()).as("commands of the README this test did not run").isEmpty();
  }

  @Test
  @Order(2)
  void theLoadTestCommandsOfTheReadmeRunAgainstIt() throws Exception {
    List<String> commands =
        Walkthrough.commands(Files.readString(Repository.path("README.md")), "\n## Measure it");
    assertThat(commands).as("the README's load-test block").hasSize(3);

    String open = loadTest(commands.get(0), "./load-test.sh --rate 10 --duration 60s --check");
    assertThat(open)
        .as("10 orders/s for 60 s, mixed: paid, out of stock, declined, customer cancel, hot")
        .contains(
            "open loop at 10.0 orders/s, 60 s, mix paid=80,out-of-stock=5,declined=5,cancel=5,hot=5");
    int openOrders = allTerminalWithoutErrors(open);
    assertThat(open).contains("Checked ", "no violations");
    String closed = loadTest(commands.get(1), "./load-test.sh --closed 16 --duration 60s");
    assertThat(closed).contains("closed loop, 16 customers, 60 s");
    int closedOrders = allTerminalWithoutErrors(closed);
    String check = loadTest(commands.get(2), "./load-test.sh check");

    Matcher checked = Pattern.compile("Checked ([0-9]+) orders").matcher(check);
    assertThat(checked.find()).as(check).isTrue();
    assertThat(Integer.parseInt(checked.group(1)))
        .as("every order of both runs and of Try it")
        .isGreaterThan(openOrders + closedOrders);
    assertThat(check).contains("no violations");
  }

  @Test
  @Order(3)
  void aServiceThatDiedStartsAgainWithTheCommandTheReadmeGives() throws Exception {
    assertThat(Files.readString(Repository.path("README.md")))
        .contains("\n./run-local.sh service order-service\n");
    Matcher pid =
        Pattern.compile("order-service +http://localhost:[0-9]+ +\\(pid ([0-9]+)\\)")
            .matcher(runLocal.stack().output());
    assertThat(pid.find()).as(runLocal.stack().output()).isTrue();
    ProcessHandle orderService = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();

    orderService.destroy(); // kill <pid>, as the summary says
    assertThat(runLocal.stack().awaitOutput("order-service exited unexpectedly", OUTCOME))
        .as("the supervisor's hint: the command run next, but for --no-build")
        .contains(
            "start it again with: ./run-local.sh service order-service --port-offset "
                + runLocal.offset()
                + "\n");
    RunLocal.Script again = runLocal.service("order-service");
    try {
      again.awaitOutput("order-service is running at ", Duration.ofMinutes(3));
      JsonNode placed =
          api.placeOrder(
                  runLocal.baseUrl("order-service"),
                  Map.of(
                      "customerId",
                      "C-1",
                      "items",
                      List.of(Map.of("productId", "P-2", "quantity", 1))))
              .body();
      URI order = runLocal.baseUrl("order-service");
      String path = "/api/orders/" + placed.get("orderId").asString();
      await()
          .atMost(OUTCOME)
          .until(() -> api.get(order, path).body().get("status").asString().equals("CONFIRMED"));
    } finally {
      assertThat(again.terminate(Duration.ofMinutes(2))).contains("stopped order-service");
    }
    assertThat(StackPorts.listening(runLocal.ports().service("order-service"))).isFalse();
  }

  @Test
  @Order(4)
  void stoppingTheScriptStopsEverythingItStarted() throws Exception {
    List<ProcessHandle> started = runLocal.stack().process().descendants().toList();
    assertThat(started)
        .as("PostgreSQL, Kafka, SMTP and four services")
        .hasSizeGreaterThanOrEqualTo(7);

    String stopped = runLocal.stack().terminate(Duration.ofMinutes(3));

    assertThat(stopped).contains("[dev-stack] stopped; no process left running");
    assertThat(stopped).as("processes the stack did not stop itself").doesNotContain("leftover");
    assertThat(started).noneMatch(ProcessHandle::isAlive);
    for (int port : runLocal.ports().services().values()) {
      assertThat(StackPorts.listening(port)).as("port %d", port).isFalse();
    }
  }

  /**
   * Runs a load-test command of the README against run-local's stack ({@code --no-build}, since the
   * build ran, and the stack's {@code --port-offset} added); it must exit 0. Its output.
   */
  private static String loadTest(String command, String expected)
      throws IOException, InterruptedException {
    assertThat(command).isEqualTo(expected);
    Path output = Path.of("target", "load-test-" + Math.abs(command.hashCode()) + ".out");
    Process process =
        new ProcessBuilder("bash", "-c", command + " --no-build --port-offset " + runLocal.offset())
            .directory(Repository.path("").toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toAbsolutePath().toFile())
            .start();
    boolean ended = process.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      // The generator's JVM is bash's child: stop both, or it goes on loading the next test's
      // stack.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String out = Files.readString(output);
    assertThat(ended).as("%s still runs after 10 minutes:%n%s", command, out).isTrue();
    assertThat(process.exitValue()).as("%s%n%s", command, out).isZero();
    return out;
  }

  /** How many orders the run placed; every one of them reached an outcome, and none failed. */
  private static int allTerminalWithoutErrors(String output) {
    Matcher result =
        Pattern.compile("\\[load] result: .*, terminal ([0-9]+) of ([0-9]+), errors ([0-9]+)")
            .matcher(output);
    assertThat(result.find()).as(output).isTrue();
    assertThat(result.group(1)).as("terminal orders").isEqualTo(result.group(2));
    assertThat(result.group(3)).as("errors").isEqualTo("0");
    int placed = Integer.parseInt(result.group(2));
    assertThat(placed).as("orders placed").isPositive();
    return placed;
  }

  private static JsonNode terminal(JsonNode placed) {
    String path = "/api/orders/" + placed.get("orderId").asString();
    URI order = runLocal.baseUrl("order-service");
    await()
        .atMost(OUTCOME)
        .until(() -> !api.get(order, path).body().get("status").asString().equals("PENDING"));
    JsonNode done = api.get(order, path).body();
    assertThat(done.get("status").asString()).isEqualTo("CANCELLED");
    return done;
  }

  private static JsonNode product(String id) {
    return api.get(runLocal.baseUrl("inventory-service"), "/api/products/" + id).body();
  }

  /** A command's HTTP status and what curl printed (headers first, with {@code -i}). */
  record Result(int status, String out) {

    JsonNode json() {
      String body = out.contains("\r\n\r\n") ? out.substring(out.lastIndexOf("\r\n\r\n")) : out;
      return JSON.readTree(body.strip());
    }
  }

  /**
   * The commands of one of the README's code blocks, taken in order: each must be the next one and
   * contain what the test expects of it. {@code localhost:<port>} of the stack run-local starts
   * becomes this stack's port; placeholders such as {@code <orderId>} are replaced once known.
   */
  static final class Walkthrough {

    private static final String STATUS = "\nHTTP status ";

    private final Deque<String> commands;
    private final List<String[]> replacements = new ArrayList<>();

    /**
     * The commands of the first bash block after each of {@code markers}, in this order, for a
     * stack on {@code ports}.
     */
    Walkthrough(String readme, StackPorts ports, String... markers) {
      commands = new ArrayDeque<>();
      for (String marker : markers) {
        commands.addAll(commands(readme, marker));
      }
      StackPorts documented = StackPorts.defaults();
      for (String service : LocalStack.SERVICES) {
        set("localhost:" + documented.service(service), "localhost:" + ports.service(service));
      }
    }

    /** The commands of the first bash block after {@code marker}, without comments. */
    static List<String> commands(String readme, String marker) {
      int section = readme.indexOf(marker);
      assertThat(section).as("README has %s", marker).isNotNegative();
      int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
      String block = readme.substring(start, readme.indexOf("\n```", start));
      List<String> commands = new ArrayList<>();
      for (String command : block.replace("\\\n", " ").split("\n")) {
        if (!command.isBlank() && !command.strip().startsWith("#")) {
          commands.add(command.strip());
        }
      }
      return commands;
    }

    void set(String placeholder, String value) {
      replacements.add(new String[] {placeholder, value});
    }

    /** Runs the next command, which must contain every one of {@code expected} and succeed. */
    Result run(String... expected) throws IOException, InterruptedException {
      return runAnswering(200, expected);
    }

    /**
     * Runs the next command, which must contain every one of {@code expected} and answer {@code
     * status}, or any 2xx status for 200.
     */
    Result runAnswering(int status, String... expected) throws IOException, InterruptedException {
      String command = next(expected);
      Result result = execute(command);
      if (status == 200) {
        assertThat(result.status()).as("%s%n%s", command, result.out()).isBetween(200, 299);
      } else {
        assertThat(result.status()).as("%s%n%s", command, result.out()).isEqualTo(status);
      }
      return result;
    }

    /** Runs the next command again until {@code done} holds of what it printed. */
    Result runUntil(String expected, Predicate<Result> done) {
      String command = next(expected);
      Result[] last = new Result[1];
      await()
          .atMost(OUTCOME)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                last[0] = execute(command);
                return done.test(last[0]);
              });
      return last[0];
    }

    List<String> remaining() {
      return List.copyOf(commands);
    }

    private String next(String... expected) {
      assertThat(commands).as("the README has a command with %s", List.of(expected)).isNotEmpty();
      String command = commands.poll();
      assertThat(command).as("the README's next command").contains(expected);
      for (String[] replacement : replacements) {
        command = command.replace(replacement[0], replacement[1]);
      }
      assertThat(command).as("a placeholder left").doesNotContain("<", ">");
      return command;
    }

    private static Result execute(String command) throws IOException, InterruptedException {
      Process process =
          new ProcessBuilder(
                  "bash", "-c", command + " -w '" + STATUS.replace("\n", "\\n") + "%{http_code}'")
              .redirectErrorStream(true)
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(command).isTrue();
      assertThat(process.exitValue()).as("%s%n%s", command, out).isZero();
      int status = out.lastIndexOf(STATUS);
      assertThat(status).as("%s printed its status%n%s", command, out).isNotNegative();
      return new Result(
          Integer.parseInt(out.substring(status + STATUS.length()).strip()),
          out.substring(0, status));
    }
  }
}
