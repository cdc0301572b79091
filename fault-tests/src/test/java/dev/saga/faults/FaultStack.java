package dev.saga.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.load.Endpoints;
import dev.saga.load.InvariantChecker;
import dev.saga.load.SagaApi;
import dev.saga.stack.LocalStack;
import dev.saga.stack.ServiceProcess;
import dev.saga.stack.StackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

/**
 * The system under fault: the four services as separate processes, each reaching Kafka through a
 * {@link FaultProxy} of its own, with a five-second saga deadline, plus a second payment instance
 * that starts only when a scenario asks for it; and what scenarios need around it (seeding,
 * recovery until quiet, the invariant checker, the operators' dead-letter endpoint, raw Kafka).
 */
final class FaultStack implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(5);
  static final String ADMIN_TOKEN = "fault-suite-admin";
  static final String SECOND_PAYMENT = "payment-service-2";
  static final Duration RECOVERY_LIMIT = Duration.ofMinutes(5);
  static final Duration MAX_LOAD = Duration.ofMinutes(3);
  static final Duration START_LIMIT = Duration.ofMinutes(6);

  private final LocalStack stack;
  private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
  private final SagaApi api = new SagaApi();
  private final HttpClient http = HttpClient.newHttpClient();

  private FaultStack(Path baseDir) {
    for (String service : LocalStack.SERVICES) {
      proxies.put(service, new FaultProxy(service));
    }
    LocalStack.Builder builder =
        LocalStack.builder()
            .baseDir(baseDir)
            .ports(StackPorts.free())
            .serviceStartTimeout(START_LIMIT)
            .serviceEnv("SAGA_ORDER_DEADLINE", DEADLINE.toSeconds() + "s")
            .serviceEnv("SAGA_MESSAGING_ADMIN_TOKEN", ADMIN_TOKEN)
            // A member killed with -9 leaves its partitions idle until its session times out:
            // 10 s instead of Kafka's 45 s keeps the suite short (production keeps the default).
            .serviceJvmOptions("-Dspring.kafka.consumer.properties.session.timeout.ms=10000")
            // The suite starts a service JVM fifteen times, mostly while others start too, on two
            // cores: without C2 a start costs less CPU, and 4 orders/s need no peak performance.
            .serviceJvmOptions("-XX:TieredStopAtLevel=1")
            .extraInstance("payment-service", SECOND_PAYMENT);
    proxies.forEach(
        (service, proxy) -> builder.serviceKafkaAddress(service, "127.0.0.1", proxy.port()));
    stack = builder.build();
    stack.startInfrastructure();
    proxies.forEach((service, proxy) -> proxy.forwardTo(stack.kafkaListenerPort(service)));
    stack.startServices();
  }

  static FaultStack start(Path baseDir) {
    return new FaultStack(baseDir);
  }

  LocalStack stack() {
    return stack;
  }

  ServiceProcess service(String name) {
    return stack.service(name);
  }

  FaultProxy proxy(String service) {
    return proxies.get(service);
  }

  SagaApi api() {
    return api;
  }

  /**
   * The payment instance that serves: the first, unless a scenario killed it and left the second in
   * its place (scenario 9 does, sparing the suite a JVM start; the next stop of payment ends that).
   */
  ServiceProcess payment() {
    ServiceProcess first = stack.service("payment-service");
    ServiceProcess second = stack.service(SECOND_PAYMENT);
    return !first.isAlive() && second.isAlive() ? second : first;
  }

  /** The services' addresses; payment's is that of the instance that serves. */
  Endpoints endpoints() {
    return new Endpoints(
        URI.create(stack.baseUrl("order-service")),
        URI.create(stack.baseUrl("inventory-service")),
        URI.create(payment().baseUrl()),
        URI.create(stack.baseUrl("notification-service")),
        database("order-service"),
        database("inventory-service"),
        database("payment-service"));
  }

  InvariantChecker checker() {
    return new InvariantChecker(api, endpoints());
  }

  /** A service by name; for payment, the instance that serves. */
  private ServiceProcess serving(String service) {
    return service.equals("payment-service") ? payment() : stack.service(service);
  }

  /**
   * Creates a scenario's own products and customers and waits until the order service's catalog has
   * the products.
   */
  OrderLoad.Mix seed(String scenario) {
    String plentiful = scenario + "-plentiful";
    String scarce = scenario + "-scarce";
    product(plentiful, "10.00", 100_000);
    product(scarce, "25.00", 5);
    List<String> paying = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      paying.add(scenario + "-customer-" + i);
      account(paying.getLast(), "1000000.00");
    }
    String broke = scenario + "-broke";
    account(broke, "5.00");
    assertThat(checker().awaitQuiet(RECOVERY_LIMIT)).as("quiet after seeding").isTrue();
    return new OrderLoad.Mix(plentiful, scarce, paying, broke);
  }

  OrderLoad load(OrderLoad.Mix mix, int perSecond) {
    return new OrderLoad(api, endpoints().order(), mix, perSecond, MAX_LOAD).start();
  }

  /**
   * Waits until the system has recovered: quiet, every order of the scenario's customers decided
   * (the deadline decides those whose events a fault held up), and quiet again once the decisions
   * are out.
   *
   * @return how long that took
   */
  Duration awaitRecovery(OrderLoad.Mix mix) {
    Instant from = Instant.now();
    assertThat(checker().awaitQuiet(RECOVERY_LIMIT)).as("quiet after the fault").isTrue();
    List<String> customers = new ArrayList<>(mix.payingCustomers());
    customers.add(mix.brokeCustomer());
    await()
        .atMost(RECOVERY_LIMIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> customers.stream().noneMatch(this::hasPendingOrders));
    assertThat(checker().awaitQuiet(RECOVERY_LIMIT)).as("quiet once decided").isTrue();
    return Duration.between(from, Instant.now());
  }

  private boolean hasPendingOrders(String customer) {
    return api.allPages(endpoints().order(), "/api/orders?customerId=" + customer).stream()
        .anyMatch(order -> order.get("status").asString().equals("PENDING"));
  }

  /** Every order of a customer, newest first. */
  List<JsonNode> orders(String customer) {
    return api.allPages(endpoints().order(), "/api/orders?customerId=" + customer);
  }

  JsonNode order(String orderId) {
    return api.get(endpoints().order(), "/api/orders/" + orderId).body();
  }

  /** The operators' view of what a service dead-lettered ({@code GET /actuator/deadletters}). */
  JsonNode deadLetters(String service) {
    return admin(service, "GET", "/actuator/deadletters");
  }

  /** Replays everything a service dead-lettered and no replay applied yet. */
  JsonNode replayDeadLetters(String service) {
    return admin(service, "POST", "/actuator/deadletters");
  }

  private JsonNode admin(String service, String method, String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(serving(service).baseUrl() + path))
                  .header("Authorization", "Bearer " + ADMIN_TOKEN)
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofMinutes(1))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode())
          .as("%s %s: %s", method, path, response.body())
          .isEqualTo(200);
      return api.json().readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An admin client on the broker's internal listener, around every proxy. */
  Admin kafkaAdmin() {
    return stack.kafka().admin();
  }

  /** A producer on the broker's internal listener; the caller closes it. */
  KafkaProducer<String, byte[]> producer() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().internalBootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /** A consumer outside any group on the broker's internal listener; the caller closes it. */
  KafkaConsumer<String, byte[]> consumer() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().internalBootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The end offset of every partition of {@code topic} now. */
  Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      return new HashMap<>(consumer.endOffsets(partitions));
    }
  }

  /** The records of {@code topic} from {@code from} (per partition) to its end now. */
  List<ConsumerRecord<String, byte[]>> read(String topic, Map<TopicPartition, Long> from) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>(from.keySet());
      consumer.assign(partitions);
      from.forEach(consumer::seek);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** Prints a step of the suite, with the time, to the test's output. */
  static void say(String step) {
    String line = "[faults] " + java.time.LocalTime.now().withNano(0) + " " + step + "\n";
    System.out.print(line);
    // Also straight to a file: the test's redirected output reaches its file in large chunks.
    try {
      java.nio.file.Path progress = java.nio.file.Path.of("target", "reliability", "progress.log");
      java.nio.file.Files.createDirectories(progress.getParent());
      java.nio.file.Files.writeString(
          progress,
          line,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Restarts a service that was stopped or killed and waits until it is ready. */
  void restart(String service) {
    stack.service(service).start();
    stack.service(service).awaitReady(START_LIMIT);
  }

  /**
   * Puts back whatever an earlier scenario left broken (a failed scenario may end mid-fault): the
   * broker, the database, the links and the four services running, one instance of payment.
   */
  void repair() {
    proxies.values().forEach(FaultProxy::restore);
    if (!stack.postgres().isAlive()) {
      say("repair: starting PostgreSQL");
      stack.postgres().start();
    }
    if (!stack.kafka().isAlive()) {
      say("repair: starting Kafka");
      stack.kafka().start();
    }
    if (stack.service("payment-service").isAlive() && stack.service(SECOND_PAYMENT).isAlive()) {
      say("repair: stopping " + SECOND_PAYMENT);
      stack.service(SECOND_PAYMENT).stop();
    }
    for (String service : LocalStack.SERVICES) {
      if (!serving(service).isAlive()) {
        say("repair: starting " + service);
        serving(service).start();
      }
    }
    LocalStack.SERVICES.forEach(service -> serving(service).awaitReady(START_LIMIT));
  }

  private void product(String id, String price, int stock) {
    SagaApi.Response response =
        api.put(
            endpoints().inventory(),
            "/api/products/" + id,
            Map.of("name", id, "price", new BigDecimal(price), "stock", stock));
    assertThat(response.status()).as("PUT product: %s", response.body()).isEqualTo(200);
  }

  private void account(String customer, String balance) {
    SagaApi.Response response =
        api.put(
            endpoints().payment(),
            "/api/accounts/" + customer,
            Map.of("balance", new BigDecimal(balance)));
    assertThat(response.status()).as("PUT account: %s", response.body()).isEqualTo(200);
  }

  private Endpoints.Database database(String service) {
    String name = service.replace('-', '_');
    return new Endpoints.Database(stack.jdbcUrl(service), name, name);
  }

  @Override
  public void close() {
    try {
      stack.close();
    } finally {
      proxies.values().forEach(FaultProxy::close);
    }
  }
}
