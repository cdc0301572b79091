package dev.saga.events;

/**
 * A fact that one service announces to the others, grouped by the producing service.
 *
 * <p>The record key on Kafka and the CloudEvents {@code subject} is {@link #subject()}; the wire
 * type name, version and topic of each event are in {@link EventType}.
 */
public sealed interface SagaEvent
    permits OrderEvent, InventoryEvent, PaymentEvent, NotificationEvent {

  /** The id of the aggregate this event is about: the Kafka record key. */
  String subject();
}
