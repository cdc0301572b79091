package dev.saga.order;

import dev.saga.order.timeline.TimelineEntry;
import java.time.Instant;
import java.util.List;

/**
 * One entry of an order's history: a status change ({@code STATUS}, named after the new status) or
 * a saga event the order service consumed ({@code EVENT}, named type and status, e.g. {@code
 * InventoryUpdated.RESERVED}).
 *
 * @param at when the status changed, or when the consumed event was published ({@code ce_time})
 */
public record HistoryEntry(Kind kind, String name, Instant at) {

  /**
   * The history of {@code order}, read from the events the service recorded for it, in the order it
   * recorded them ({@link dev.saga.order.timeline.Timeline#recorded}). The events the service
   * published are its status changes: {@code OrderPlaced} made it {@code PENDING} when it was
   * created, and its one outcome event ({@code OrderConfirmed} or {@code CancelOrder}) made it what
   * it is now, when it was last updated.
   */
  public static List<HistoryEntry> of(Order order, List<TimelineEntry> recorded) {
    return recorded.stream()
        .map(
            entry ->
                switch (entry.type()) {
                  case "OrderPlaced" ->
                      new HistoryEntry(Kind.STATUS, OrderStatus.PENDING.name(), order.createdAt());
                  case "OrderConfirmed", "CancelOrder" ->
                      new HistoryEntry(Kind.STATUS, order.status().name(), order.updatedAt());
                  default ->
                      new HistoryEntry(
                          Kind.EVENT, entry.type() + "." + entry.status(), entry.time());
                })
        .toList();
  }

  /** What an entry records. */
  public enum Kind {
    STATUS,
    EVENT
  }
}
