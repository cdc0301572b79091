package dev.saga.messaging;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A minimal service that consumes orders and publishes through the outbox. */
@SpringBootApplication
class MessagingTestApplication {}
