package dev.saga.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.saga.events.CancelOrder;
import dev.saga.events.OrderConfirmed;
import dev.saga.web.WebSupportAutoConfiguration;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(NotificationController.class)
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
class NotificationControllerTests {

  private static final Instant RECORDED = Instant.parse("2026-11-02T10:15:30Z");

  @Autowired MockMvcTester mvc;
  @MockitoBean Notifications notifications;

  @Test
  void listsTheNotificationsOfAnOrder() {
    UUID orderId = UUID.randomUUID();
    UUID notificationId = UUID.randomUUID();
    Notification sent =
        Notification.confirmed(
            notificationId,
            new OrderConfirmed(orderId, "C-1", new BigDecimal("30.00"), "EUR"),
            "example.com",
            RECORDED);
    sent.markSent(RECORDED.plusMillis(250));
    given(notifications.ofOrder(orderId)).willReturn(List.of(sent));

    MvcTestResult result = mvc.get().uri("/api/notifications?orderId={id}", orderId).exchange();

    assertThat(result)
        .hasStatusOk()
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
        .bodyJson()
        .isStrictlyEqualTo(
            """
            [{"notificationId": "%s", "orderId": "%s", "outcome": "CONFIRMED",
              "recipient": "C-1@example.com", "subject": "Order %s confirmed",
              "status": "SENT", "sentAt": "2026-11-02T10:15:30.250Z", "rejection": null}]
            """
                .formatted(notificationId, orderId, orderId));
  }

  @Test
  void showsAPendingNotificationWithoutSendTime() {
    UUID orderId = UUID.randomUUID();
    given(notifications.ofOrder(orderId))
        .willReturn(
            List.of(
                Notification.cancelled(
                    UUID.randomUUID(),
                    new CancelOrder(orderId, "C-2", CancelOrder.Reason.TIMEOUT),
                    "example.com",
                    RECORDED)));

    MvcTestResult result = mvc.get().uri("/api/notifications?orderId={id}", orderId).exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$[0].outcome").isEqualTo("CANCELLED");
    assertThat(result).bodyJson().extractingPath("$[0].status").isEqualTo("PENDING");
    assertThat(result).bodyJson().extractingPath("$[0].sentAt").isNull();
  }

  @Test
  void showsARejectedNotificationWithTheMailServersReply() {
    UUID orderId = UUID.randomUUID();
    Notification rejected =
        Notification.confirmed(
            UUID.randomUUID(),
            new OrderConfirmed(orderId, "gone", new BigDecimal("30.00"), "EUR"),
            "example.com",
            RECORDED);
    rejected.reject("550 5.1.1 <gone@example.com>: user unknown", RECORDED.plusSeconds(1));
    given(notifications.ofOrder(orderId)).willReturn(List.of(rejected));

    MvcTestResult result = mvc.get().uri("/api/notifications?orderId={id}", orderId).exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$[0].status").isEqualTo("REJECTED");
    assertThat(result).bodyJson().extractingPath("$[0].sentAt").isNull();
    assertThat(result)
        .bodyJson()
        .extractingPath("$[0].rejection")
        .isEqualTo("550 5.1.1 <gone@example.com>: user unknown");
  }

  @Test
  void answersAnEmptyListForAnOrderWithoutNotifications() {
    UUID orderId = UUID.randomUUID();
    given(notifications.ofOrder(orderId)).willReturn(List.of());

    MvcTestResult result = mvc.get().uri("/api/notifications?orderId={id}", orderId).exchange();

    assertThat(result).hasStatusOk().bodyJson().isStrictlyEqualTo("[]");
  }

  @Test
  void rejectsARequestWithoutOrderId() {
    MvcTestResult result = mvc.get().uri("/api/notifications").exchange();

    assertProblem(result);
    assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("orderId");
    verifyNoInteractions(notifications);
  }

  @Test
  void rejectsAnOrderIdThatIsNotAUuid() {
    MvcTestResult result = mvc.get().uri("/api/notifications?orderId=not-a-uuid").exchange();

    assertProblem(result);
    verifyNoInteractions(notifications);
  }

  @Test
  void rejectsAnEmptyOrderId() {
    MvcTestResult result = mvc.get().uri("/api/notifications?orderId=").exchange();

    assertProblem(result);
    verifyNoInteractions(notifications);
  }

  private static void assertProblem(MvcTestResult result) {
    assertThat(result)
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(400);
    assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Bad Request");
  }
}
