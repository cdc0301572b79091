package dev.saga.order;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.time.Instant;

/**
 * One entry of an order's timeline: a status change ({@code STATUS}, named after the new status) or
 * a saga event the order service consumed ({@code EVENT}, named type and status, e.g. {@code
 * InventoryUpdated.RESERVED}).
 */
@Embeddable
public record HistoryEntry(
    @Enumerated(EnumType.STRING) Kind kind, String name, @Column(name = "occurred_at") Instant at) {

  static HistoryEntry status(OrderStatus status, Instant at) {
    return new HistoryEntry(Kind.STATUS, status.name(), at);
  }

  static HistoryEntry event(String type, Enum<?> status, Instant at) {
    return new HistoryEntry(Kind.EVENT, type + "." + status.name(), at);
  }

  /** What an entry records. */
  public enum Kind {
    STATUS,
    EVENT
  }
}
