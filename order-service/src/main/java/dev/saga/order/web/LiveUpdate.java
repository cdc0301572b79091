package dev.saga.order.web;

import dev.saga.order.OrderActivity;
import java.util.List;

/**
 * A change of one order as the live page receives it: the order's summary and the events the change
 * added to its timeline.
 */
record LiveUpdate(LiveController.OrderView order, List<TimelineResponse.Event> events) {

  static LiveUpdate of(OrderActivity activity) {
    return new LiveUpdate(
        LiveController.OrderView.of(activity.order()),
        activity.entries().stream().map(TimelineResponse.Event::of).toList());
  }
}
