package dev.saga.order.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saga.events.CancelOrder;
import dev.saga.messaging.SagaTracing;
import dev.saga.order.OrderService;
import dev.saga.order.OrderStatus;
import dev.saga.order.OrderSummary;
import dev.saga.order.timeline.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/orders/{orderId}/timeline}: every event of the order across the services, in the
 * order they happened, each with the service that published it, its type, time and trace.
 *
 * @param traceId the trace the order was placed in
 */
record TimelineResponse(
    UUID orderId,
    OrderStatus status,
    @JsonInclude(JsonInclude.Include.NON_NULL) CancelOrder.Reason cancellationReason,
    @JsonInclude(JsonInclude.Include.NON_NULL) String traceId,
    List<Event> events) {

  static TimelineResponse of(OrderService.OrderTimeline timeline) {
    OrderSummary order = timeline.order();
    return new TimelineResponse(
        order.orderId(),
        order.status(),
        order.cancellationReason(),
        SagaTracing.traceId(order.traceParent()).orElse(null),
        timeline.events().stream().map(Event::of).toList());
  }

  /**
   * One event.
   *
   * @param service the service that published it ({@code ce_source} without its slash)
   * @param source its {@code ce_source}
   * @param type its {@code ce_type}
   * @param detail what it said: a status, outcome or reason (absent for OrderPlaced and
   *     OrderConfirmed)
   * @param time its {@code ce_time}: when it was written to its publisher's outbox
   * @param traceId the trace it was published in
   * @param compensating whether it undoes or refuses part of the saga
   */
  record Event(
      UUID eventId,
      String service,
      String source,
      String type,
      @JsonInclude(JsonInclude.Include.NON_NULL) String detail,
      Instant time,
      @JsonInclude(JsonInclude.Include.NON_NULL) String traceId,
      boolean compensating) {

    static Event of(TimelineEntry entry) {
      return new Event(
          entry.eventId(),
          entry.service(),
          entry.source(),
          entry.type(),
          entry.detail(),
          entry.time(),
          entry.traceId().orElse(null),
          entry.compensating());
    }
  }
}
