package dev.saga.events;

/** Events produced by the notification service, on {@link Topics#NOTIFICATIONS}. */
public sealed interface NotificationEvent extends SagaEvent permits NotificationSent {}
