package dev.saga.events;

/** Events produced by the payment service, on {@link Topics#PAYMENTS}, keyed by order id. */
public sealed interface PaymentEvent extends SagaEvent permits PaymentProcessed {}
