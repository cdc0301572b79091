package dev.saga.inventory.reservation;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.events.OrderConfirmed;
import dev.saga.events.OrderPlaced;
import dev.saga.inventory.product.Product;
import dev.saga.inventory.product.ProductRepository;
import dev.saga.messaging.Outbox;
import dev.saga.messaging.RejectedEventException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies the order saga to the stock. Each event of an order locks the order's reservation first
 * and then the products it touches (in id order), so events of one order, HTTP updates of a product
 * and several instances of the service are serialized where they meet, and competing orders can
 * never oversell a product.
 */
@Service
class Reservations {

  private final ReservationRepository reservations;
  private final ProductRepository products;
  private final Outbox outbox;

  Reservations(ReservationRepository reservations, ProductRepository products, Outbox outbox) {
    this.reservations = reservations;
    this.products = products;
    this.outbox = outbox;
  }

  @Transactional
  void place(OrderPlaced order) {
    Reservation reservation = lock(order.orderId());
    // Products are locked only while the placement is undecided: a replay holds no hot rows.
    Map<String, Product> ordered =
        reservation.awaitsPlacement()
            ? products.lockAll(
                order.items().stream().map(OrderPlaced.Line::productId).collect(Collectors.toSet()))
            : Map.of();
    announce(() -> reservation.place(order, ordered));
  }

  @Transactional
  void cancel(CancelOrder cancel) {
    Reservation reservation = lock(cancel.orderId());
    Map<String, Product> held = products.lockAll(reservation.heldProductIds());
    announce(() -> reservation.cancel(cancel.customerId(), held));
  }

  @Transactional
  void confirm(OrderConfirmed confirmed) {
    Reservation reservation = lock(confirmed.orderId());
    Map<String, Product> held = products.lockAll(reservation.heldProductIds());
    announce(() -> reservation.confirm(held));
  }

  /**
   * Adds the event a transition announces to the outbox; an impossible transition rejects the
   * event, which rolls the transaction back and dead-letters the record.
   */
  private void announce(Supplier<Optional<InventoryUpdated>> transition) {
    try {
      transition.get().ifPresent(outbox::add);
    } catch (ImpossibleEventException e) {
      throw new RejectedEventException(e.getMessage());
    }
  }

  /** The order's reservation, created if this is its first event, locked until commit. */
  private Reservation lock(UUID orderId) {
    reservations.insertIfAbsent(orderId, Instant.now());
    return reservations.findForUpdate(orderId).orElseThrow();
  }
}
