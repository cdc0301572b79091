package dev.saga.notification;

import dev.saga.test.ServiceTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole notification service on real Kafka, PostgreSQL and SMTP, with settings every
 * integration test shares, so they all run in one cached application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ServiceTest(
    properties = {
      // Long on purpose: a mail sent within a few seconds proves the relay was woken by the commit.
      "saga.notification.relay-poll-interval=60s",
      "saga.notification.retry-initial-interval=200ms",
      "saga.notification.retry-max-interval=1s",
      "saga.messaging.consumer.retry-initial-interval=50ms",
      "saga.messaging.consumer.retry-max-interval=200ms"
    })
@interface NotificationServiceTest {}
