package dev.saga.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds the plumbing's defaults ({@code messaging-defaults.properties}: Kafka client settings,
 * health groups, tracing) behind every other property source, so a service's own configuration
 * overrides any of them.
 */
class MessagingDefaults implements EnvironmentPostProcessor {

  static final String RESOURCE = "dev/saga/messaging/messaging-defaults.properties";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    try {
      environment
          .getPropertySources()
          .addLast(
              new ResourcePropertySource("sagaMessagingDefaults", new ClassPathResource(RESOURCE)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
