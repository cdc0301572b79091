package dev.saga.deploy;

import dev.saga.deploy.SagaTopology.TopicSpec;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topics docker/kafka-create-topics.sh creates: its {@code topic name partitions [compact]}
 * lines.
 */
final class ComposeTopics {

  static final String SCRIPT = "docker/kafka-create-topics.sh";
  private static final Pattern LINE =
      Pattern.compile("(?m)^topic\\s+(\\S+)\\s+(\\d+)(\\s+compact)?\\s*$");

  private ComposeTopics() {}

  static Map<String, TopicSpec> read() {
    Map<String, TopicSpec> topics = new TreeMap<>();
    Matcher matcher = LINE.matcher(Repository.read(SCRIPT));
    while (matcher.find()) {
      topics.put(
          matcher.group(1),
          new TopicSpec(
              matcher.group(1), Integer.parseInt(matcher.group(2)), matcher.group(3) != null));
    }
    return topics;
  }
}
