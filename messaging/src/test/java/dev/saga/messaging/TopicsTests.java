package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.events.Topics;
import dev.saga.events.Topics.Topic;
import dev.saga.test.ServiceTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Topics are created explicitly, with the partitions of the design, and a dead-letter twin each.
 */
@ServiceTest
class TopicsTests {

  @Autowired KafkaAdmin kafkaAdmin;

  @Test
  void createsEveryTopicAndItsDeadLetterTopicWithTheDesignedPartitions() throws Exception {
    List<String> names = new ArrayList<>();
    Topics.ALL.forEach(topic -> names.addAll(List.of(topic.name(), topic.deadLetter())));
    try (AdminClient admin = AdminClient.create(kafkaAdmin.getConfigurationProperties())) {
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(
                  List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.CATALOG)))
              .all()
              .get();

      for (Topic topic : Topics.ALL) {
        assertThat(described.get(topic.name()).partitions()).hasSize(topic.partitions());
        assertThat(described.get(topic.deadLetter()).partitions()).hasSize(topic.partitions());
      }
      assertThat(configs.values().iterator().next().get("cleanup.policy").value())
          .isEqualTo("compact");
    }
  }
}
