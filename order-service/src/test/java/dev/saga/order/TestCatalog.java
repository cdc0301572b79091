package dev.saga.order;

import static org.awaitility.Awaitility.await;

import dev.saga.events.ProductChanged;
import dev.saga.messaging.EventRecords;
import dev.saga.test.KafkaProbe;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts products on the catalog topic as inventory-service publishes them, and waits until this
 * service's read model holds them.
 */
public final class TestCatalog {

  private final KafkaProbe kafka;
  private final JdbcClient jdbc;

  public TestCatalog(KafkaProbe kafka, JdbcClient jdbc) {
    this.kafka = kafka;
    this.jdbc = jdbc;
  }

  /** A new, active product priced in EUR, with a unique id. */
  public static ProductChanged product(String price) {
    return new ProductChanged(
        "P-" + UUID.randomUUID(), "Product", new BigDecimal(price), "EUR", true, 1);
  }

  /** Publishes each change and waits until the read model has applied it. */
  public void publish(ProductChanged... changes) {
    for (ProductChanged change : changes) {
      UUID eventId = send(change);
      awaitApplied(eventId);
    }
  }

  /** Publishes the change; returns its event id. */
  public UUID send(ProductChanged change) {
    UUID eventId = UUID.randomUUID();
    kafka.send(EventRecords.of(change, eventId, "/inventory-service"));
    return eventId;
  }

  /** Waits until the catalog consumer has applied (or skipped as stale) the event. */
  public void awaitApplied(UUID eventId) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                jdbc.sql(
                            "select count(*) from processed_events where consumer = ? and event_id = ?")
                        .params("order-service-catalog", eventId)
                        .query(Long.class)
                        .single()
                    == 1);
  }
}
