package dev.saga.messaging;

import dev.saga.events.SagaEvent;
import dev.saga.events.Topics;
import dev.saga.events.Topics.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import jakarta.servlet.Filter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Everything a service needs to publish and consume events reliably; the service itself only adds
 * events to the {@link Outbox} and declares {@code @KafkaListener}s.
 *
 * <ul>
 *   <li>Publishing: {@link Outbox} rows in the state change's transaction, published by the {@link
 *       OutboxRelay} with the idempotent producer and {@code acks=all}.
 *   <li>Consuming: records are read as CloudEvents into event records and checked against their
 *       schema ({@link EventDeserializer}); every listener method runs in one transaction with the
 *       dedup insert ({@link IdempotentConsumer}); transient failures are retried with capped
 *       backoff for as long as they last, holding the partition; unreadable or rejected records go
 *       to {@code <topic>.DLT} with the failure in headers.
 *   <li>Topics are created with the partitions of {@link Topics}; the quiet state is the {@code
 *       quiet} health group.
 *   <li>Observability: each event is published in the trace it was added in ({@link SagaTracing});
 *       metrics of pending outbox rows, consumer lag, processing time, duplicates and dead-lettered
 *       records ({@link MessagingMetrics}, {@link IdempotentConsumer}); the attributes of the event
 *       being consumed ({@link ConsumedEvents}).
 *   <li>Operators list and replay dead-lettered records at {@code /actuator/deadletters} ({@link
 *       DeadLetters}), with the admin bearer token.
 * </ul>
 */
@AutoConfiguration(
    after = {
      DataSourceAutoConfiguration.class,
      FlywayAutoConfiguration.class,
      JdbcClientAutoConfiguration.class,
      KafkaAutoConfiguration.class,
      TransactionAutoConfiguration.class
    })
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

  @Bean
  MessagingSchema messagingSchema(
      DataSource dataSource,
      ObjectProvider<FlywayMigrationInitializer> serviceMigrations,
      Environment environment) {
    // The service's own migrations run first: its Flyway refuses a non-empty schema it has no
    // history of.
    serviceMigrations.ifAvailable(initializer -> {});
    return new MessagingSchema(
        dataSource, environment.getProperty("spring.flyway.enabled", Boolean.class, true));
  }

  @Bean
  SagaTracing sagaTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    return new SagaTracing(tracer, propagator);
  }

  @Bean
  OutboxRelay outboxRelay(
      MessagingSchema schema,
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      ProducerFactory<?, ?> producerFactory,
      MessagingProperties properties,
      MeterRegistry meters,
      SagaTracing tracing) {
    Map<String, Object> config = reliableProducer(producerFactory);
    config.put(ProducerConfig.LINGER_MS_CONFIG, properties.outbox().lingerMs());
    KafkaTemplate<String, byte[]> kafka =
        new KafkaTemplate<>(
            new DefaultKafkaProducerFactory<>(
                config, new StringSerializer(), new ByteArraySerializer()));
    return new OutboxRelay(
        jdbc,
        new TransactionTemplate(transactionManager),
        kafka,
        properties.outbox(),
        meters,
        tracing,
        new RelayFailpoint(properties.outbox().haltAfterAcknowledgedBatches()));
  }

  @Bean
  Outbox outbox(
      MessagingSchema schema,
      JdbcClient jdbc,
      MessagingProperties properties,
      OutboxRelay relay,
      SagaTracing tracing) {
    return new Outbox(jdbc, properties.source(), tracing::currentTraceParent, relay::wakeUp);
  }

  @Bean
  ProcessedEvents processedEvents(MessagingSchema schema, JdbcClient jdbc) {
    return new ProcessedEvents(jdbc);
  }

  @Bean
  Housekeeping messagingHousekeeping(
      ProcessedEvents processedEvents, MessagingProperties properties) {
    return new Housekeeping(processedEvents, properties.consumer().dedupRetention());
  }

  /** Also the container's record interceptor: Boot applies the single such bean to listeners. */
  @Bean
  static IdempotentConsumer idempotentConsumer(
      ObjectProvider<PlatformTransactionManager> transactionManager,
      ObjectProvider<ProcessedEvents> processedEvents,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<Tracer> tracer,
      ListenerDelay listenerDelay) {
    return new IdempotentConsumer(
        transactionManager, processedEvents, meters, tracer, listenerDelay);
  }

  @Bean
  static ListenerDelay listenerDelay() {
    return new ListenerDelay(Clock.systemUTC());
  }

  @Bean
  ConsumedEvents consumedEvents() {
    return new ConsumedEvents();
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static Advisor idempotentConsumerAdvisor(IdempotentConsumer idempotentConsumer) {
    ComposablePointcut listenerMethods =
        new ComposablePointcut(AnnotationMatchingPointcut.forMethodAnnotation(KafkaListener.class))
            .union(AnnotationMatchingPointcut.forMethodAnnotation(KafkaHandler.class));
    DefaultPointcutAdvisor advisor =
        new DefaultPointcutAdvisor(listenerMethods, idempotentConsumer);
    // Outermost: a listener's own @Transactional joins this transaction.
    advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return advisor;
  }

  @Bean
  DefaultKafkaConsumerFactoryCustomizer eventDeserialization() {
    return factory -> {
      @SuppressWarnings("unchecked")
      DefaultKafkaConsumerFactory<String, SagaEvent> events =
          (DefaultKafkaConsumerFactory<String, SagaEvent>) factory;
      events.setKeyDeserializerSupplier(StringDeserializer::new);
      events.setValueDeserializerSupplier(
          () -> new ErrorHandlingDeserializer<>(new EventDeserializer()));
    };
  }

  @Bean
  CommonErrorHandler sagaErrorHandler(
      ProducerFactory<?, ?> producerFactory,
      MessagingProperties properties,
      ObjectProvider<MeterRegistry> meters) {
    KafkaTemplate<String, Object> deadLetters =
        new KafkaTemplate<>(
            new DefaultKafkaProducerFactory<>(
                reliableProducer(producerFactory),
                new StringSerializer(),
                new DeadLetterValueSerializer()));
    ExponentialBackOff backOff =
        new ExponentialBackOff(properties.consumer().retryInitialInterval().toMillis(), 2.0);
    backOff.setMaxInterval(properties.consumer().retryMaxInterval().toMillis());
    // Same partition of <topic>.DLT, which has as many partitions as its topic.
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            deadLetters,
            (record, exception) ->
                new TopicPartition(Topics.deadLetter(record.topic()), record.partition()));
    recoverer.setHeadersFunction(DeadLetterHeaders::of);
    ConsumerAwareRecordRecoverer counted =
        (record, consumer, exception) -> {
          recoverer.accept(record, consumer, exception);
          Counter.builder("saga.consumer.dead.lettered")
              .description("Records sent to the dead-letter topic of the topic they came from")
              .tag("group", String.valueOf(KafkaUtils.getConsumerGroupId()))
              .tag("topic", record.topic())
              .tag(
                  "cause",
                  NestedExceptionUtils.getMostSpecificCause(exception).getClass().getSimpleName())
              .register(meters.getObject())
              .increment();
        };
    DefaultErrorHandler errorHandler = new DefaultErrorHandler(counted, backOff);
    errorHandler.addNotRetryableExceptions(
        InvalidEventException.class, RejectedEventException.class);
    errorHandler.setRetryListeners(new RetryLog(meters));
    return errorHandler;
  }

  @Bean
  DeadLetters deadLetters(
      MessagingSchema schema,
      KafkaListenerEndpointRegistry listeners,
      ConsumerFactory<?, ?> consumerFactory,
      JdbcClient jdbc,
      IdempotentConsumer idempotentConsumer,
      MeterRegistry meters) {
    return new DeadLetters(
        listeners, consumerFactory.getConfigurationProperties(), jdbc, idempotentConsumer, meters);
  }

  @Bean
  @ConditionalOnAvailableEndpoint
  DeadLettersEndpoint deadLettersEndpoint(DeadLetters deadLetters) {
    return new DeadLettersEndpoint(deadLetters);
  }

  /** Only holders of the admin token reach the operators' endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(Filter.class)
  static class AdminEndpointSecurity {

    /**
     * The endpoint's path is read from the configuration, not from {@code PathMappedEndpoints}:
     * filters are built with the web server, before the other singletons, and resolving the
     * endpoints then would build every health contributor (the mail sender among them) before the
     * context is fully configured.
     */
    @Bean
    FilterRegistrationBean<Filter> deadLettersAdminTokenFilter(
        MessagingProperties properties, Environment environment) {
      String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
      String path =
          (base.endsWith("/") ? base : base + "/")
              + environment.getProperty(
                  "management.endpoints.web.path-mapping." + DeadLettersEndpoint.ID,
                  DeadLettersEndpoint.ID);
      FilterRegistrationBean<Filter> registration =
          new FilterRegistrationBean<>(new AdminTokenFilter(properties.admin().token()));
      registration.addUrlPatterns(path, path + "/*");
      registration.setName("deadLettersAdminTokenFilter");
      return registration;
    }
  }

  @Bean
  @ConditionalOnProperty(
      name = "saga.messaging.topics.create",
      havingValue = "true",
      matchIfMissing = true)
  KafkaAdmin.NewTopics sagaTopics(MessagingProperties properties) {
    MessagingProperties.Topics settings = properties.topics();
    List<NewTopic> topics = new ArrayList<>();
    for (Topic topic : Topics.ALL) {
      Map<String, String> config = new HashMap<>();
      config.put(
          TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInSyncReplicas()));
      if (topic.compacted()) {
        config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
      }
      topics.add(
          TopicBuilder.name(topic.name())
              .partitions(topic.partitions())
              .replicas(settings.replicationFactor())
              .configs(config)
              .build());
      topics.add(
          TopicBuilder.name(topic.deadLetter())
              .partitions(topic.partitions())
              .replicas(settings.replicationFactor())
              .config(
                  TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                  String.valueOf(settings.minInSyncReplicas()))
              .build());
    }
    return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
  }

  @Bean
  OutboxHealthIndicator outboxHealthIndicator(MessagingSchema schema, JdbcClient jdbc) {
    return new OutboxHealthIndicator(jdbc);
  }

  @Bean
  ConsumerLag consumerLag(KafkaAdmin kafkaAdmin) {
    return new ConsumerLag(kafkaAdmin);
  }

  @Bean
  MessagingMetrics messagingMetrics(
      MessagingSchema schema,
      JdbcClient jdbc,
      KafkaListenerEndpointRegistry listeners,
      ConsumerLag consumerLag,
      MeterRegistry meters,
      MessagingProperties properties) {
    return new MessagingMetrics(
        jdbc, listeners, consumerLag, meters, properties.metrics().refreshInterval());
  }

  @Bean
  ConsumerLagHealthIndicator consumerLagHealthIndicator(
      KafkaListenerEndpointRegistry listeners, ConsumerLag consumerLag) {
    return new ConsumerLagHealthIndicator(listeners, consumerLag);
  }

  /**
   * The producer settings every publisher of events uses: nothing is lost or duplicated by retries.
   */
  private static Map<String, Object> reliableProducer(ProducerFactory<?, ?> producerFactory) {
    Map<String, Object> config = new HashMap<>(producerFactory.getConfigurationProperties());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return config;
  }
}
