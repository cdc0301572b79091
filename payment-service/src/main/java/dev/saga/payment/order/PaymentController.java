package dev.saga.payment.order;

import dev.saga.web.ProblemResponses;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The charges and refunds of an order over HTTP. */
@RestController
@RequestMapping("/api/payments")
class PaymentController {

  private final PaymentService payments;

  PaymentController(PaymentService payments) {
    this.payments = payments;
  }

  /** The order's charge and refund in the order they happened; empty if it has none. */
  @GetMapping
  @ProblemResponses({400})
  List<PaymentResponse> payments(@RequestParam UUID orderId) {
    return payments.payments(orderId).stream()
        .map(
            payment ->
                new PaymentResponse(
                    payment.paymentId(), orderId, payment.type(), payment.amount(), payment.at()))
        .toList();
  }

  record PaymentResponse(
      UUID paymentId, UUID orderId, Payment.Type type, BigDecimal amount, Instant at) {}
}
