package dev.saga.inventory.reservation;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** The quantity of one product an order holds (all of the order's lines for it, summed). */
@Embeddable
record ReservationLine(
    @Column(name = "product_id") String productId, @Column(name = "quantity") int quantity) {}
