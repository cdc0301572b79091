package dev.saga.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTests {

  @TempDir static Path baseDir;

  private static LocalStack stack;

  @BeforeAll
  static void startKafka() {
    stack =
        LocalStack.builder()
            .baseDir(baseDir)
            .ports(StackPorts.free())
            .components(LocalStack.Component.KAFKA)
            .noServices()
            .build();
    stack.startInfrastructure();
  }

  @AfterAll
  static void stopKafka() {
    stack.close();
  }

  @Test
  void everyTopicAndItsDeadLetterTopicExistWithTheirPartitions() throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      List<String> names = new ArrayList<>();
      Topics.ALL.forEach(topic -> names.addAll(List.of(topic.name(), topic.deadLetter())));
      Map<String, TopicDescription> topics =
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);

      for (Topics.Topic topic : Topics.ALL) {
        assertThat(topics.get(topic.name()).partitions()).hasSize(topic.partitions());
        assertThat(topics.get(topic.deadLetter()).partitions()).hasSize(topic.partitions());
      }
      ConfigResource catalog = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CATALOG);
      ConfigResource orders = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ORDERS);
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(List.of(catalog, orders)).all().get(30, TimeUnit.SECONDS);
      assertThat(configs.get(catalog).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
          .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
      assertThat(configs.get(orders).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
          .isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
    }
  }

  @Test
  void topicsAreNotCreatedOnDemand() throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      Config config =
          admin
              .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
              .all()
              .get(30, TimeUnit.SECONDS)
              .values()
              .iterator()
              .next();
      assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
      assertThat(config.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
    }
  }

  @Test
  void aRecordIsConsumedAndSurvivesAStopAndStartOfTheBroker() {
    String key = UUID.randomUUID().toString();
    try (KafkaProducer<String, String> producer = producer()) {
      producer
          .send(new ProducerRecord<>(Topics.PAYMENTS, key, "{\"paid\":true}"))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(consumeValueOf(key)).isEqualTo("{\"paid\":true}");

    stack.kafka().stop();
    assertThat(stack.kafka().isAlive()).isFalse();
    stack.kafka().start();

    assertThat(consumeValueOf(key)).isEqualTo("{\"paid\":true}");
  }

  private static KafkaProducer<String, String> producer() {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
  }

  /** Reads the payments topic from the start with a fresh group until the key shows up. */
  private static String consumeValueOf(String key) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Set.of(Topics.PAYMENTS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key().equals(key)) {
            return record.value();
          }
        }
      }
    }
    throw new AssertionError("No record with key " + key + " within 60 s");
  }
}
