package dev.saga.events;

import java.math.BigDecimal;
import java.util.UUID;

/** The order's outcome: stock reserved and payment taken; the saga succeeded. */
public record OrderConfirmed(
    UUID orderId, String customerId, BigDecimal totalAmount, String currency)
    implements OrderEvent {}
