package dev.saga.payment.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The payments API's contract: bodies, validation and error statuses. */
@WebMvcTest(PaymentController.class)
class PaymentControllerTests {

  @Autowired MockMvcTester mvc;

  @MockitoBean PaymentService payments;

  @Test
  void listsTheChargeAndRefundOfAnOrderInOrder() {
    UUID orderId = UUID.randomUUID();
    Payment charge = payment(Payment.Type.CHARGE, "30", "2026-11-02T10:15:30.123456Z");
    Payment refund = payment(Payment.Type.REFUND, "30", "2026-11-02T10:15:31Z");
    given(payments.payments(orderId)).willReturn(List.of(charge, refund));

    MvcTestResult result = mvc.get().uri("/api/payments?orderId={id}", orderId).exchange();

    assertThat(result).hasStatusOk();
    assertThat(result)
        .bodyText()
        .isEqualTo(
            "[{\"paymentId\":\"%s\",\"orderId\":\"%s\",\"type\":\"CHARGE\",\"amount\":30.00,\"at\":\"2026-11-02T10:15:30.123456Z\"},"
                    .formatted(charge.paymentId(), orderId)
                + "{\"paymentId\":\"%s\",\"orderId\":\"%s\",\"type\":\"REFUND\",\"amount\":30.00,\"at\":\"2026-11-02T10:15:31Z\"}]"
                    .formatted(refund.paymentId(), orderId));
  }

  @Test
  void answersAnEmptyListForAnOrderWithoutPayments() {
    UUID orderId = UUID.randomUUID();
    given(payments.payments(orderId)).willReturn(List.of());

    MvcTestResult result = mvc.get().uri("/api/payments?orderId={id}", orderId).exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyText().isEqualTo("[]");
  }

  @Test
  void rejectsAMissingOrderId() {
    MvcTestResult result = mvc.get().uri("/api/payments").exchange();

    assertProblem(result, HttpStatus.BAD_REQUEST);
    verifyNoInteractions(payments);
  }

  @Test
  void rejectsAnOrderIdThatIsNotAUuid() {
    MvcTestResult result = mvc.get().uri("/api/payments?orderId=order-1").exchange();

    assertProblem(result, HttpStatus.BAD_REQUEST);
    verifyNoInteractions(payments);
  }

  @Test
  void rejectsAnEmptyOrderId() {
    assertProblem(mvc.get().uri("/api/payments?orderId=").exchange(), HttpStatus.BAD_REQUEST);
    verifyNoInteractions(payments);
  }

  private static Payment payment(Payment.Type type, String amount, String at) {
    Payment payment = new Payment(type, new BigDecimal(amount).setScale(2));
    // Set by the database on insert.
    ReflectionTestUtils.setField(payment, "at", Instant.parse(at));
    return payment;
  }

  private static void assertProblem(MvcTestResult result, HttpStatus status) {
    assertThat(result).hasStatus(status);
    assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
  }
}
