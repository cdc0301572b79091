package dev.saga.order;

import dev.saga.order.timeline.TimelineEntry;
import java.util.List;

/**
 * What one transaction did to an order: the order as it now stands and the events it added to the
 * order's timeline; published to the live page and the saga metrics once it committed.
 *
 * @param order the order after the change
 * @param entries the timeline entries added, oldest first
 * @param decided whether this change decided the order's outcome
 */
public record OrderActivity(OrderSummary order, List<TimelineEntry> entries, boolean decided) {

  public OrderActivity {
    entries = List.copyOf(entries);
  }
}
