package dev.saga.faults;

import dev.saga.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Delivers every event twice: publishes an exact copy (same key, partition, headers and {@code
 * ce_id}) of each record that appears on the saga's topics, behind whatever the topic held by then,
 * so consumers see each event again later and out of place.
 */
final class Duplicator implements AutoCloseable {

  /** Marks a copy, so the duplicator does not copy its own copies. */
  static final String COPY_HEADER = "saga_test-copy";

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final AtomicLong copies = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean caughtUp;

  Duplicator(FaultStack stack) {
    consumer = stack.consumer();
    producer = stack.producer();
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topics.Topic topic : Topics.ALL) {
      consumer.partitionsFor(topic.name()).stream()
          .map(info -> new TopicPartition(topic.name(), info.partition()))
          .forEach(partitions::add);
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = Thread.ofPlatform().name("duplicator").start(this::run);
  }

  private void run() {
    while (running) {
      int seen = 0;
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        seen++;
        if (record.headers().lastHeader(COPY_HEADER) != null) {
          continue;
        }
        ProducerRecord<String, byte[]> copy =
            new ProducerRecord<>(
                record.topic(), record.partition(), record.key(), record.value(), record.headers());
        copy.headers().add(COPY_HEADER, "1".getBytes(StandardCharsets.UTF_8));
        producer.send(copy);
        copies.incrementAndGet();
      }
      producer.flush();
      caughtUp = seen == 0 && lagIsZero();
    }
  }

  private boolean lagIsZero() {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    return end.entrySet().stream()
        .allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue());
  }

  /** Whether every record published so far has been copied. */
  boolean isCaughtUp() {
    return caughtUp;
  }

  long copies() {
    return copies.get();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
    producer.close();
  }
}
