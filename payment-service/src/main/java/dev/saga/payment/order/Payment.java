package dev.saga.payment.order;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;

/** Money that moved for an order: the charge of its total, or the refund of that charge. */
@Entity
@Table(name = "payments")
public class Payment {

  @Id private UUID paymentId;

  @Enumerated(EnumType.STRING)
  private Type type;

  private BigDecimal amount;

  // The database clock at insert, while the customer's account is locked: payments and account
  // resets of one customer are ordered by it exactly as they were applied.
  @Generated private Instant at;

  protected Payment() {}

  Payment(Type type, BigDecimal amount) {
    this.paymentId = UUID.randomUUID();
    this.type = type;
    this.amount = amount;
  }

  public UUID paymentId() {
    return paymentId;
  }

  public Type type() {
    return type;
  }

  public BigDecimal amount() {
    return amount;
  }

  /** When the money moved; {@code null} until the payment is stored. */
  public Instant at() {
    return at;
  }

  /** Which way the money moved. */
  public enum Type {
    CHARGE,
    REFUND
  }
}
