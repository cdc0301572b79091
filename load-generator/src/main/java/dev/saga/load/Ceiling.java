package dev.saga.load;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What this machine's PostgreSQL and Kafka can do at most, with the guarantees the saga keeps
 * ({@code fsync} and synchronous commit on, {@code acks=all} with the idempotent producer): the
 * commit rate of one saga step (dedup insert, row update, outbox insert) by number of clients, and
 * the broker's produce and consume rates. Works in scratch tables and a scratch topic, dropped
 * afterwards.
 */
final class Ceiling {

  /** Roughly the size of an event's JSON payload plus its CloudEvents headers. */
  private static final int RECORD_BYTES = 400;

  private final Endpoints.Database admin;
  private final String bootstrapServers;
  private final Duration step;
  private final PrintStream out;

  Ceiling(Endpoints.Database admin, String bootstrapServers, Duration step, PrintStream out) {
    this.admin = admin;
    this.bootstrapServers = bootstrapServers;
    this.step = step;
    this.out = out;
  }

  void run() throws Exception {
    out.println("| PostgreSQL: one saga step per transaction | clients | transactions/s |");
    out.println("|---|---:|---:|");
    String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (Connection setup = connect()) {
      try (Statement statement = setup.createStatement()) {
        statement.execute(
            "create table ceiling_processed_"
                + suffix
                + " (consumer text, event_id uuid, processed_at timestamptz default clock_timestamp(),"
                + " primary key (consumer, event_id))");
        statement.execute(
            "create table ceiling_rows_" + suffix + " (id int primary key, n bigint not null)");
        statement.execute(
            "insert into ceiling_rows_" + suffix + " select g, 0 from generate_series(0, 9999) g");
        statement.execute(
            "create table ceiling_outbox_"
                + suffix
                + " (id bigint generated always as identity primary key, event_id uuid, topic text,"
                + " payload bytea, created_at timestamptz default clock_timestamp())");
      }
      try {
        for (int clients : List.of(1, 2, 4, 8, 16, 32)) {
          out.printf(
              "| dedup insert + row update + outbox insert, commit | %d | %.0f |%n",
              clients, sagaSteps(suffix, clients));
        }
      } finally {
        try (Statement statement = setup.createStatement()) {
          for (String table : List.of("processed", "rows", "outbox")) {
            statement.execute("drop table ceiling_" + table + "_" + suffix);
          }
        }
      }
    }
    out.println();
    kafka(suffix);
  }

  private double sagaSteps(String suffix, int clients) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    List<Future<Long>> counts = new ArrayList<>();
    byte[] payload = new byte[RECORD_BYTES];
    long started;
    try (ExecutorService threads = Executors.newFixedThreadPool(clients)) {
      for (int i = 0; i < clients; i++) {
        counts.add(
            threads.submit(
                () -> {
                  long done = 0;
                  try (Connection connection = connect();
                      PreparedStatement dedup =
                          connection.prepareStatement(
                              "insert into ceiling_processed_"
                                  + suffix
                                  + " (consumer, event_id) values ('ceiling', ?) on conflict do nothing");
                      PreparedStatement update =
                          connection.prepareStatement(
                              "update ceiling_rows_" + suffix + " set n = n + 1 where id = ?");
                      PreparedStatement outbox =
                          connection.prepareStatement(
                              "insert into ceiling_outbox_"
                                  + suffix
                                  + " (event_id, topic, payload) values (?, 'orders', ?)")) {
                    connection.setAutoCommit(false);
                    while (running.get()) {
                      dedup.setObject(1, UUID.randomUUID());
                      dedup.executeUpdate();
                      update.setInt(1, ThreadLocalRandom.current().nextInt(10_000));
                      update.executeUpdate();
                      outbox.setObject(1, UUID.randomUUID());
                      outbox.setBytes(2, payload);
                      outbox.executeUpdate();
                      connection.commit();
                      done++;
                    }
                  }
                  return done;
                }));
      }
      started = System.nanoTime();
      Thread.sleep(step);
      running.set(false);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long total = 0;
    for (Future<Long> count : counts) {
      total += count.get();
    }
    return total / seconds;
  }

  private void kafka(String suffix) throws Exception {
    String topic = "ceiling-" + suffix;
    Properties adminConfig = new Properties();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin kafkaAdmin = Admin.create(adminConfig)) {
      kafkaAdmin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
      try {
        out.println("| Kafka (acks=all, idempotent producer) | records/s |");
        out.println("|---|---:|");
        int records = 200_000;
        for (int linger : List.of(0, 5)) {
          out.printf(
              "| produce %d records of %d bytes, async, linger.ms=%d | %.0f |%n",
              records, RECORD_BYTES, linger, produce(topic, records, linger, records));
        }
        for (int batch : List.of(1, 10, 100)) {
          int count = batch == 1 ? 5_000 : 50_000;
          out.printf(
              "| produce in batches of %d, each batch's acknowledgements awaited (like the relay) | %.0f |%n",
              batch, produce(topic, count, 0, batch));
        }
        out.printf("| consume everything from the start | %.0f |%n", consume(topic));
      } finally {
        kafkaAdmin.deleteTopics(List.of(topic)).all().get();
      }
    }
    out.println();
  }

  /**
   * Sends {@code count} records, {@code batch} at a time, awaiting each batch's acknowledgements.
   */
  private double produce(String topic, int count, int linger, int batch)
      throws InterruptedException, ExecutionException {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, linger);
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      byte[] value = new byte[RECORD_BYTES];
      // One record first: the metadata and producer id round trips are not part of the rate.
      producer.send(new ProducerRecord<>(topic, "warm", value)).get();
      long started = System.nanoTime();
      List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(batch);
      for (int i = 0; i < count; i++) {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        producer.send(
            new ProducerRecord<>(topic, UUID.randomUUID().toString(), value),
            (metadata, failure) -> {
              if (failure == null) {
                ack.complete(metadata);
              } else {
                ack.completeExceptionally(failure);
              }
            });
        acks.add(ack);
        if (acks.size() == batch) {
          CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
          acks.clear();
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
      return count / ((System.nanoTime() - started) / 1e9);
    }
  }

  private double consume(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      long read = 0;
      long started = System.nanoTime();
      while (read < total) {
        read += consumer.poll(Duration.ofMillis(500)).count();
      }
      return read / ((System.nanoTime() - started) / 1e9);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(admin.jdbcUrl(), admin.username(), admin.password());
  }
}
