package dev.saga.order.timeline;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The timeline of every order: each event this service consumed or published for it, so the whole
 * saga reads in one place without asking the other services.
 */
@Repository
public class Timeline {

  private final JdbcClient jdbc;

  Timeline(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Adds {@code entry} to the order's timeline, in the caller's transaction; once per event. */
  public void record(UUID orderId, TimelineEntry entry) {
    jdbc.sql(
            """
            insert into order_timeline (order_id, event_id, event_type, detail, source, occurred_at, trace_parent)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict (order_id, event_id) do nothing
            """)
        .params(
            orderId,
            entry.eventId(),
            entry.type(),
            entry.detail(),
            entry.source(),
            Timestamp.from(entry.time()),
            entry.traceParent())
        .update();
  }

  /** The order's events in the order they happened: by their time, then as they were recorded. */
  public List<TimelineEntry> of(UUID orderId) {
    return jdbc.sql(
            """
            select event_id, event_type, detail, source, occurred_at, trace_parent
            from order_timeline where order_id = ? order by occurred_at, seq
            """)
        .param(orderId)
        .query((rs, row) -> entry(rs))
        .list();
  }

  /**
   * The events of each of {@code orderIds} in the order this service recorded them, which is the
   * order it consumed and decided them in: one query for a whole page of orders.
   */
  public Map<UUID, List<TimelineEntry>> recorded(Collection<UUID> orderIds) {
    if (orderIds.isEmpty()) {
      return Map.of();
    }
    return jdbc
        .sql(
            """
            select order_id, event_id, event_type, detail, source, occurred_at, trace_parent
            from order_timeline where order_id in (:orderIds) order by seq
            """)
        .param("orderIds", orderIds)
        .query((rs, row) -> Map.entry(rs.getObject("order_id", UUID.class), entry(rs)))
        .list()
        .stream()
        .collect(
            Collectors.groupingBy(
                Map.Entry::getKey,
                LinkedHashMap::new,
                Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
  }

  private static TimelineEntry entry(ResultSet rs) throws SQLException {
    return new TimelineEntry(
        rs.getObject("event_id", UUID.class),
        rs.getString("event_type"),
        rs.getString("detail"),
        rs.getString("source"),
        rs.getTimestamp("occurred_at").toInstant(),
        rs.getString("trace_parent"));
  }
}
