package dev.saga.order;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Runs the service's periodic jobs, each registered by the bean that owns it as a {@link
 * org.springframework.scheduling.annotation.SchedulingConfigurer}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {}
