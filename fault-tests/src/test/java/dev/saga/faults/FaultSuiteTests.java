package dev.saga.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saga.events.InventoryUpdated;
import dev.saga.events.NotificationSent;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.PaymentProcessed;
import dev.saga.events.ProductChanged;
import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import dev.saga.load.InvariantChecker;
import dev.saga.load.Replay;
import dev.saga.messaging.EventRecords;
import dev.saga.stack.KeepStackLogsOnFailure;
import dev.saga.stack.LocalStack;
import dev.saga.stack.ServiceProcess;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The fault suite: the whole system as separate processes, orders placed at a steady rate, one
 * fault per scenario while they are in flight, recovery until quiet, then the invariant checker
 * over every order the system ever took. Each scenario has its own products and customers; the
 * system, and everything it holds, carries over from one scenario to the next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTests {

  // Well under what the whole stack completes on two cores (about 16 orders/s, BENCHMARKS.md), so
  // orders confirm unless a fault holds them up, and the deadline decides only those.
  private static final int RATE = 4;
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final Duration AFTER_FAULT = Duration.ofSeconds(2);
  private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

  /** The consumer groups of the system, with their topics. */
  private static final Map<String, List<String>> GROUPS =
      Map.of(
          "order-service", List.of(Topics.INVENTORY, Topics.PAYMENTS, Topics.NOTIFICATIONS),
          "order-service-catalog", List.of(Topics.CATALOG),
          "inventory-service", List.of(Topics.ORDERS),
          "payment-service", List.of(Topics.ORDERS, Topics.INVENTORY),
          "notification-service", List.of(Topics.ORDERS));

  @TempDir static Path baseDir;

  private static FaultStack system;

  @RegisterExtension
  static final KeepStackLogsOnFailure logs =
      new KeepStackLogsOnFailure(() -> system == null ? null : system.stack());

  private static ReliabilityResults results;

  @BeforeAll
  static void startTheSystem() {
    results = new ReliabilityResults();
    system = FaultStack.start(baseDir);
  }

  @AfterAll
  static void stopTheSystem() {
    if (system != null) {
      system.close();
    }
    results.finish();
  }

  @Test
  @Order(1)
  void killingEachServiceWithSigkillMidLoadLosesNothing() {
    scenario(
        1,
        "kill -9 each service in turn, restart it",
        "SIGKILL, 2 s down, restarted, next one 3 s later: order, inventory, payment, notification",
        (mix, load) -> {
          // Killed one after the other without waiting for the last one to be back: the load
          // meets each death, and recoveries overlap.
          for (String service : LocalStack.SERVICES) {
            FaultStack.say("kill -9 " + service);
            system.service(service).kill();
            hold(Duration.ofSeconds(2));
            system.service(service).start();
            hold(Duration.ofSeconds(3));
          }
          return "all four back and ready " + seconds(awaitAllReady()) + " after the last kill";
        });
  }

  @Test
  @Order(2)
  void aRelayKilledAfterTheBrokerAcknowledgedABatchPublishesItAgainAndItIsAppliedOnce() {
    Map<TopicPartition, Long> before = system.endOffsets(Topics.ORDERS);
    int batches = 10;
    scenario(
        2,
        "kill -9 a relay between the broker's acknowledgement and the rows' deletion",
        "order-service restarted with the failpoint halt-after-acknowledged-batches="
            + batches
            + " (Runtime.halt, as kill -9), 2 s down, restarted without it",
        (mix, load) -> {
          ServiceProcess order = system.service("order-service");
          order.stop();
          order.start(
              Map.of(
                  "SPRING_APPLICATION_JSON",
                  "{\"saga.messaging.outbox.halt-after-acknowledged-batches\": " + batches + "}"));
          // It halts once it has published that many batches: while catching up, or under load.
          assertThat(order.awaitExit(Duration.ofMinutes(5))).as("halted by the failpoint").isTrue();
          assertThat(order.exitCode()).hasValue(137);
          assertThat(order.logTail(200)).contains("Failpoint: halting after " + batches);
          hold(Duration.ofSeconds(2));
          system.restart("order-service");
          return "";
        },
        report -> {
          Map<String, Long> copies =
              system.read(Topics.ORDERS, before).stream()
                  .collect(
                      Collectors.groupingBy(
                          record -> header(record, "ce_id"), Collectors.counting()));
          long twice = copies.values().stream().filter(count -> count > 1).count();
          assertThat(twice).as("events the halted relay published again").isPositive();
          return twice
              + (twice == 1 ? " event" : " events")
              + " published twice by the halted relay, each applied once";
        });
  }

  @Test
  @Order(3)
  void stoppingEachServiceWithSigtermMidLoadFinishesOrAbandonsItsWorkWithoutLosingAny() {
    scenario(
        3,
        "graceful shutdown: SIGTERM each service in turn, restart it",
        "SIGTERM (graceful shutdown; killed only after 20 s), restarted, next one 3 s later",
        (mix, load) -> {
          Map<String, String> stopped = new LinkedHashMap<>();
          for (String service : LocalStack.SERVICES) {
            FaultStack.say("SIGTERM " + service);
            ServiceProcess process = system.service(service);
            Instant asked = Instant.now();
            process.stop();
            stopped.put(brief(service), seconds(Duration.between(asked, Instant.now())));
            // 143 is the JVM's exit on SIGTERM once its shutdown completed; 137 would mean the
            // grace period ran out and the process was killed.
            assertThat(process.exitCode()).as(service + " exit code").hasValue(143);
            process.start();
            hold(Duration.ofSeconds(3));
          }
          awaitAllReady();
          return "each stopped cleanly (exit 143) in " + stopped;
        });
  }

  @Test
  @Order(4)
  void aBrokerStoppedForFifteenSecondsLosesNothing() {
    scenario(
        4,
        "Kafka broker stopped and restarted",
        "the broker stopped (controlled shutdown) for 15 s, then started again",
        (mix, load) -> {
          system.stack().kafka().stop();
          hold(Duration.ofSeconds(15));
          system.stack().kafka().start();
          return "";
        });
  }

  @Test
  @Order(5)
  void aDatabaseUnavailableForTenSecondsLosesNothing() {
    scenario(
        5,
        "PostgreSQL unavailable",
        "the PostgreSQL server of all four databases stopped (fast shutdown) for 10 s, then"
            + " started again",
        (mix, load) -> {
          system.stack().postgres().stop();
          hold(Duration.ofSeconds(10));
          system.stack().postgres().start();
          return "";
        });
  }

  @Test
  @Order(6)
  void latencyAndCutsBetweenServicesAndKafkaLoseNothing() {
    scenario(
        6,
        "network latency and cuts between services and Kafka",
        "through each service's TCP proxy: 200 ms each way on all four links for 8 s; then the"
            + " order and payment links cut (open connections reset, new ones refused) for 10 s;"
            + " then all four cut for 5 s",
        (mix, load) -> {
          List<String> services = LocalStack.SERVICES;
          services.forEach(service -> system.proxy(service).latency(Duration.ofMillis(200)));
          hold(Duration.ofSeconds(8));
          services.forEach(service -> system.proxy(service).restore());
          system.proxy("order-service").cut();
          system.proxy("payment-service").cut();
          hold(Duration.ofSeconds(10));
          services.forEach(service -> system.proxy(service).cut());
          hold(Duration.ofSeconds(5));
          services.forEach(service -> system.proxy(service).restore());
          return "";
        });
  }

  @Test
  @Order(7)
  void everyEventDeliveredTwiceAndAFullReplayChangeNothing() {
    Duplicator[] duplicator = {new Duplicator(system)};
    Map<String, String> stateBeforeReplay = new TreeMap<>();
    scenario(
        7,
        "every event delivered twice; consumer groups reset to the earliest offset",
        "each record on every saga topic published again (same key, partition, headers and"
            + " ce_id) from the scenario's start; once quiet, order and payment stopped, their"
            + " groups reset to the earliest offsets (full replay), both started",
        (mix, load) -> {
          hold(Duration.ofSeconds(10));
          return "";
        },
        report -> {
          await().atMost(Duration.ofMinutes(1)).until(duplicator[0]::isCaughtUp);
          duplicator[0].close();
          assertThat(system.checker().awaitQuiet(Duration.ofMinutes(2))).isTrue();
          InvariantChecker.Report afterDuplicates = system.checker().check();
          assertThat(afterDuplicates.violations()).isEmpty();
          stateBeforeReplay.putAll(afterDuplicates.state());

          Instant replayStarted = Instant.now();
          long replayed = replayOrderAndPayment();
          assertThat(system.checker().awaitQuiet(FaultStack.RECOVERY_LIMIT)).isTrue();
          Duration replay = Duration.between(replayStarted, Instant.now());
          InvariantChecker.Report afterReplay = system.checker().check();
          assertThat(afterReplay.violations()).isEmpty();
          assertThat(afterReplay.state())
              .as("invariant 5: a full replay changes nothing")
              .isEqualTo(stateBeforeReplay);
          return duplicator[0].copies()
              + " records published twice; full replay of "
              + replayed
              + " records to order and payment in "
              + seconds(replay)
              + " (restarts included): state of all "
              + afterReplay.orders()
              + " orders, products and accounts unchanged (invariant 5)";
        });
  }

  @Test
  @Order(8)
  void poisonRecordsAreDeadLetteredListedAndRefusedAgainOnReplayWhileTheirPartitionsFlow() {
    for (String service : LocalStack.SERVICES) {
      assertThat(system.deadLetters(service).get("count").asInt())
          .as("no fault so far dead-lettered a good event at " + service)
          .isZero();
    }
    Map<String, Set<String>> expected = new HashMap<>();
    LocalStack.SERVICES.forEach(service -> expected.put(service, new HashSet<>()));
    Map<String, String> stateBeforeReplay = new TreeMap<>();
    scenario(
        8,
        "poison records on every topic",
        "on each of the five topics, while the load runs: a record that is not JSON, one of an"
            + " unknown type, and one that is schema-valid but impossible",
        (mix, load) -> {
          String cancelled = awaitCancelledAndNotified(load);
          try (KafkaProducer<String, byte[]> producer = system.producer()) {
            UUID unknown = UUID.randomUUID();
            JsonNode order = system.order(cancelled);
            // orders: a confirmation of an order that was cancelled and notified as such.
            poison(
                producer,
                new OrderConfirmed(
                    UUID.fromString(cancelled),
                    order.get("customerId").asString(),
                    order.get("totalAmount").decimalValue(),
                    "EUR"),
                null,
                expected,
                Map.of("inventory-service", 3, "payment-service", 2, "notification-service", 3));
            // inventory: a reservation of an order nobody placed, in a currency nobody uses.
            poison(
                producer,
                InventoryUpdated.reserved(
                    unknown, mix.brokeCustomer(), new BigDecimal("1.00"), "USD"),
                null,
                expected,
                Map.of("order-service", 3, "payment-service", 3));
            // payments: a charge of an order nobody placed.
            poison(
                producer,
                new PaymentProcessed(
                    unknown,
                    UUID.randomUUID(),
                    mix.brokeCustomer(),
                    PaymentProcessed.Status.SUCCEEDED,
                    new BigDecimal("1.00"),
                    "EUR",
                    null),
                null,
                expected,
                Map.of("order-service", 3));
            // notifications: a mail about an order nobody placed.
            poison(
                producer,
                new NotificationSent(
                    unknown,
                    UUID.randomUUID(),
                    NotificationSent.Outcome.CONFIRMED,
                    "nobody@example.com",
                    "<" + unknown + "@example.com>"),
                null,
                expected,
                Map.of("order-service", 3));
            // catalog: a valid change published under another product's key.
            poison(
                producer,
                new ProductChanged(
                    mix.plentiful(), "renamed", new BigDecimal("1.00"), "EUR", true, 999_999),
                mix.scarce(),
                expected,
                Map.of("order-service", 3));
          }
          return "";
        },
        report -> {
          for (String service : LocalStack.SERVICES) {
            await()
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(
                    () ->
                        assertThat(eventIds(system.deadLetters(service).get("records")))
                            .as("dead letters of " + service)
                            .containsExactlyInAnyOrderElementsOf(expected.get(service)));
          }
          stateBeforeReplay.putAll(report.state());
          Map<String, Integer> refused = new TreeMap<>();
          for (String service : LocalStack.SERVICES) {
            JsonNode replay = system.replayDeadLetters(service);
            assertThat(replay.get("replayed").asInt()).isEqualTo(expected.get(service).size());
            assertThat(replay.get("outcomes").get("FAILED").asInt())
                .as("poison stays poison on replay at " + service)
                .isEqualTo(expected.get(service).size());
            refused.put(brief(service), replay.get("replayed").asInt());
            assertThat(system.deadLetters(service).get("records"))
                .allSatisfy(
                    record ->
                        assertThat(record.get("lastReplay").get("outcome").asString())
                            .isEqualTo("FAILED"));
          }
          assertThat(system.checker().awaitQuiet(Duration.ofMinutes(1))).isTrue();
          InvariantChecker.Report afterReplay = system.checker().check();
          assertThat(afterReplay.violations()).isEmpty();
          assertThat(afterReplay.state()).isEqualTo(stateBeforeReplay);
          int total = expected.values().stream().mapToInt(Set::size).sum();
          return total
              + " dead letters across the services "
              + expected.entrySet().stream()
                  .collect(
                      Collectors.toMap(
                          entry -> brief(entry.getKey()),
                          entry -> entry.getValue().size(),
                          Integer::sum,
                          TreeMap::new))
              + ", each listed by its service; replaying all refused each again (recorded),"
              + " state unchanged";
        });
  }

  @Test
  @Order(9)
  void twoInstancesConsumeAndRelayTogetherAndTheSurvivorTakesOverWhenOneIsKilled() {
    ServiceProcess second = system.service(FaultStack.SECOND_PAYMENT);
    double[] publishedBySecond = new double[2];
    int[] members = new int[1];
    scenario(
        9,
        "two instances of a service, then one killed (rebalance)",
        "a second payment-service instance (same database and groups) started under load; both"
            + " consume and relay for 8 s; then the first killed with SIGKILL, the second carries on",
        (mix, load) -> {
          second.start();
          second.awaitReady(FaultStack.START_LIMIT);
          FaultStack.say("second instance ready");
          await()
              .atMost(Duration.ofMinutes(1))
              .until(() -> (members[0] = members("payment-service")) == 8);
          hold(Duration.ofSeconds(8));
          publishedBySecond[0] = published(second);
          system.service("payment-service").kill();
          hold(Duration.ofSeconds(8));
          publishedBySecond[1] = published(second);
          // The second instance carries on as the payment service (FaultStack.payment()); the next
          // scenario stops it and starts the first.
          return "";
        },
        report -> {
          assertThat(publishedBySecond[1])
              .as("the surviving instance relays payment's events")
              .isGreaterThan(publishedBySecond[0]);
          return "payment-service group had "
              + members[0]
              + " members (2 instances × (3 consumers of the inventory topic + 1 of the orders topic));"
              + " after the kill the second instance published "
              + (long) (publishedBySecond[1] - publishedBySecond[0])
              + " more events";
        });
  }

  @Test
  @Order(10)
  void aPaymentServiceDownPastTheDeadlineCancelsRefundsAndReleasesButNeverConfirms() {
    Instant[] window = new Instant[2];
    List<OrderLoad.Placed> placed = new ArrayList<>();
    scenario(
        10,
        "payment service down past the saga deadline, then back",
        "payment-service stopped for 15 s (deadline 5 s), then started again",
        (mix, load) -> {
          system.payment().stop();
          // After the stop returned: a graceful stop finishes the payments already in flight, and
          // an order placed just before it may legitimately be confirmed.
          window[0] = Instant.now();
          hold(Duration.ofSeconds(15));
          window[1] = Instant.now();
          system.restart("payment-service");
          placed.addAll(load.placed());
          return "";
        },
        report -> {
          // Orders placed while payment was down that reached their deadline before it came back.
          Instant lastOverdue = window[1].minus(FaultStack.DEADLINE).minusSeconds(1);
          List<JsonNode> overdue =
              placed.stream()
                  .filter(order -> order.at().isAfter(window[0]))
                  .filter(order -> order.at().isBefore(lastOverdue))
                  .map(order -> system.order(order.orderId()))
                  .toList();
          assertThat(overdue).isNotEmpty();
          assertThat(overdue)
              .allSatisfy(
                  order -> assertThat(order.get("status").asString()).isEqualTo("CANCELLED"));
          List<JsonNode> lateSuccesses =
              overdue.stream()
                  .filter(order -> history(order).contains("PaymentProcessed.SUCCEEDED"))
                  .toList();
          assertThat(lateSuccesses)
              .allSatisfy(
                  order ->
                      assertThat(history(order))
                          .contains("PaymentProcessed.REFUNDED", "InventoryUpdated.RELEASED"));
          Map<String, Long> reasons =
              overdue.stream()
                  .collect(
                      Collectors.groupingBy(
                          order -> order.get("cancellationReason").asString(),
                          TreeMap::new,
                          Collectors.counting()));
          return overdue.size()
              + " orders overdue while payment was down, all CANCELLED "
              + reasons
              + ", none confirmed; "
              + lateSuccesses.size()
              + " charged late, each refunded and its stock released";
        });
  }

  /** What a scenario does while the load runs; returns notes for the report. */
  private interface Fault {
    String inject(OrderLoad.Mix mix, OrderLoad load);
  }

  /** Checks beyond the invariants once the system recovered; returns notes for the report. */
  private interface Verification {
    String verify(InvariantChecker.Report report);
  }

  private static void scenario(int number, String name, String fault, Fault inject) {
    scenario(number, name, fault, inject, report -> "");
  }

  /**
   * Seeds the scenario, starts the load, injects the fault after a warm-up, keeps the load going a
   * little past the fault's end, then waits for recovery and runs the checker over everything.
   */
  private static void scenario(
      int number, String name, String fault, Fault inject, Verification verification) {
    FaultStack.say("scenario " + number + ": " + name);
    system.repair();
    OrderLoad.Mix mix = system.seed("s" + number + "-" + RUN);
    OrderLoad load = system.load(mix, RATE);
    String notes;
    Instant cleared;
    try {
      hold(WARM_UP);
      FaultStack.say("injecting: " + fault);
      notes = inject.inject(mix, load);
      cleared = Instant.now();
      FaultStack.say("fault cleared");
      hold(AFTER_FAULT);
    } finally {
      load.stop();
    }
    system.awaitRecovery(mix);
    Duration recovery = Duration.between(cleared, Instant.now());
    FaultStack.say("recovered; checking the invariants");
    InvariantChecker.Report report = system.checker().check();
    String verified = report.isClean() ? verification.verify(report) : "";
    results.add(
        new ReliabilityResults.Row(
            number,
            name,
            fault,
            load,
            recovery,
            report,
            String.join(
                "; ", List.of(notes, verified).stream().filter(s -> !s.isEmpty()).toList())));
    assertThat(report.violations()).as(report.summary()).isEmpty();
    assertThat(report.ordersByStatus().keySet()).isSubsetOf("CONFIRMED", "CANCELLED");
    assertThat(load.placed()).as("orders placed under load").isNotEmpty();
    // A fault may make a service unavailable (503 with Retry-After), never answer 500: that is a
    // bug whatever the fault.
    assertThat(load.failures().keySet())
        .as("server errors other than 503")
        .filteredOn(cause -> cause.matches("(cancel )?HTTP 5(?!03)\\d\\d"))
        .isEmpty();
  }

  /** Waits until every service of the system is ready; how long that took. */
  private static Duration awaitAllReady() {
    Instant from = Instant.now();
    LocalStack.SERVICES.forEach(
        service -> system.service(service).awaitReady(FaultStack.START_LIMIT));
    return Duration.between(from, Instant.now());
  }

  /**
   * Stops the services whose effects are money and the outcome (order and payment), resets every
   * consumer group of theirs to the earliest offsets, and starts them again; the other two groups
   * are replayed in full by {@code LoadSystemTests}. How many records they receive again.
   */
  private static long replayOrderAndPayment() {
    List<String> services = List.of("order-service", "payment-service");
    services.forEach(service -> system.service(service).stop());
    long replayed = 0;
    for (String group : GROUPS.keySet()) {
      if (services.stream().anyMatch(group::startsWith)) {
        replayed +=
            Replay.fromStart(system.stack().bootstrapServers(), group).values().stream()
                .mapToLong(Long::longValue)
                .sum();
      }
    }
    services.forEach(system::restart);
    return replayed;
  }

  /**
   * Publishes three poison records on the topic of {@code valid}: not JSON, an unknown type, and
   * {@code valid} itself (impossible for its consumers), under {@code key} or the event's subject;
   * remembers which service dead-letters which of them.
   *
   * @param deadLetteredBy how many of the three each service dead-letters: the first n
   */
  private static void poison(
      KafkaProducer<String, byte[]> producer,
      SagaEvent valid,
      String key,
      Map<String, Set<String>> expected,
      Map<String, Integer> deadLetteredBy) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    ProducerRecord<String, byte[]> template = EventRecords.of(valid, UUID.randomUUID(), "/faults");
    String topic = template.topic();
    String recordKey = key == null ? template.key() : key;
    records.add(
        withId(
            new ProducerRecord<>(
                topic,
                null,
                recordKey,
                "{\"orderId\": ".getBytes(StandardCharsets.UTF_8),
                template.headers())));
    ProducerRecord<String, byte[]> unknownType =
        withId(new ProducerRecord<>(topic, null, recordKey, template.value(), template.headers()));
    unknownType.headers().remove("ce_type").remove("ce_dataschema");
    unknownType.headers().add(new RecordHeader("ce_type", bytes("OrderShipped")));
    unknownType.headers().add(new RecordHeader("ce_dataschema", bytes("urn:saga:OrderShipped:v1")));
    records.add(unknownType);
    records.add(
        withId(new ProducerRecord<>(topic, null, recordKey, template.value(), template.headers())));
    // Unreadable and unknown ones are dead-lettered by every consumer, the impossible one by those
    // it is impossible for: the counts are the first n of [not JSON, unknown type, impossible].
    for (int i = 0; i < records.size(); i++) {
      producer.send(records.get(i));
      String eventId = header(records.get(i).headers(), "ce_id");
      for (var consumer : deadLetteredBy.entrySet()) {
        if (i < consumer.getValue()) {
          expected.get(consumer.getKey()).add(eventId);
        }
      }
    }
    producer.flush();
  }

  /** A copy of the record's headers under a fresh {@code ce_id}. */
  private static ProducerRecord<String, byte[]> withId(ProducerRecord<String, byte[]> record) {
    ProducerRecord<String, byte[]> copy =
        new ProducerRecord<>(record.topic(), null, record.key(), record.value());
    record.headers().forEach(header -> copy.headers().add(header));
    copy.headers().remove("ce_id");
    copy.headers().add(new RecordHeader("ce_id", bytes(UUID.randomUUID().toString())));
    return copy;
  }

  /** An order of the load's that was cancelled and whose cancellation notice is recorded. */
  private static String awaitCancelledAndNotified(OrderLoad load) {
    String[] found = new String[1];
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (OrderLoad.Placed placed : load.placed()) {
                if (!placed.kind().equals("declined")) {
                  continue;
                }
                JsonNode order = system.order(placed.orderId());
                JsonNode notifications =
                    system
                        .api()
                        .get(
                            system.endpoints().notification(),
                            "/api/notifications?orderId=" + placed.orderId())
                        .body();
                if (order.get("status").asString().equals("CANCELLED")
                    && notifications.size() == 1) {
                  found[0] = placed.orderId();
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private static Set<String> eventIds(JsonNode records) {
    Set<String> ids = new HashSet<>();
    records.forEach(record -> ids.add(record.path("eventId").asString("")));
    return ids;
  }

  /** Members of a consumer group now, as the broker sees them. */
  private static int members(String group) {
    try (Admin admin = system.kafkaAdmin()) {
      return admin
          .describeConsumerGroups(List.of(group))
          .all()
          .get(30, TimeUnit.SECONDS)
          .get(group)
          .members()
          .size();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The events an instance's relay has published since it started. */
  private static double published(ServiceProcess service) {
    String metrics =
        system.api().getText(java.net.URI.create(service.baseUrl()), "/actuator/prometheus").body();
    return metrics
        .lines()
        .filter(line -> line.startsWith("saga_outbox_published_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static List<String> history(JsonNode order) {
    List<String> names = new ArrayList<>();
    order.get("history").forEach(entry -> names.add(entry.get("name").asString()));
    return names;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return header(record.headers(), name);
  }

  private static String header(org.apache.kafka.common.header.Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String brief(String service) {
    return service.replace("-service", "");
  }

  private static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  /** Keeps a fault in place for {@code duration}: a span of time, not an outcome to wait for. */
  private static void hold(Duration duration) {
    await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
  }
}
