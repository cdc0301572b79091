package dev.saga.inventory;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;

/** How this service reads JSON request bodies, beyond what web-support configures. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

  /** A count written with a fraction ({@code "stock": 1.5}) is a client error, not truncated. */
  @Bean
  JsonMapperBuilderCustomizer wholeNumbersAreIntegers() {
    return builder -> builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }
}
