package dev.saga.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import dev.saga.events.CancelOrder;
import dev.saga.events.InventoryUpdated;
import dev.saga.messaging.ListenerDelay;
import dev.saga.order.HistoryEntry;
import dev.saga.order.Order;
import dev.saga.order.OrderAlreadyConfirmedException;
import dev.saga.order.OrderLine;
import dev.saga.order.OrderProperties;
import dev.saga.order.OrderService;
import dev.saga.order.OrderService.OrderDetails;
import dev.saga.order.PendingOrders;
import dev.saga.order.PlaceOrder;
import dev.saga.order.catalog.ProductNotOrderableException;
import dev.saga.web.WebSupportAutoConfiguration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The HTTP edge of orders: every validation rule and error status, as problem details. */
// The shipped limit of pending orders, which the service tests' shared settings raise.
@WebMvcTest(controllers = OrderController.class, properties = "saga.order.max-pending=32")
@Import(OrderPlacement.class)
@EnableConfigurationProperties(OrderProperties.class)
// The HTTP edge every service shares: problem details with an errors list, money, pages.
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
class OrderControllerTests {

  private static final Instant PLACED_AT = Instant.parse("2026-03-01T12:00:00.123456Z");
  private static final String BODY =
      """
      {"customerId": "C-1", "items": [{"productId": "P-1", "quantity": 2}]}""";

  @Autowired MockMvcTester mvc;
  @MockitoBean OrderService orders;
  @MockitoBean IdempotencyKeys keys;
  @MockitoBean ListenerDelay listenerDelay;
  @MockitoBean PendingOrders pending;

  @BeforeEach
  void sagaKeepsUp() {
    given(listenerDelay.current()).willReturn(Duration.ofMillis(15));
    given(pending.count()).willReturn(new PendingOrders.Count(3, Optional.of(Instant.now())));
  }

  @Test
  void placesAnOrderAndAnswersWithItsLocation() {
    Order order = pendingOrder();
    given(orders.place(any())).willReturn(placed(order));

    MvcTestResult result = place(BODY);

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result).headers().hasValue("Location", "/api/orders/" + order.id());
    assertThat(result).bodyJson().extractingPath("$.orderId").isEqualTo(order.id().toString());
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("PENDING");
    assertThat(result).bodyJson().doesNotHavePath("$.cancellationReason");
    assertThat(result).bodyJson().extractingPath("$.items[0].productId").isEqualTo("P-1");
    assertThat(result).bodyJson().extractingPath("$.items[0].quantity").isEqualTo(2);
    assertThat(result).bodyText().contains("\"unitPrice\":10.00", "\"totalAmount\":20.00");
    assertThat(result).bodyJson().extractingPath("$.currency").isEqualTo("EUR");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.createdAt")
        .isEqualTo("2026-03-01T12:00:00.123456Z");
    assertThat(result).bodyJson().extractingPath("$.history[0].kind").isEqualTo("STATUS");
    assertThat(result).bodyJson().extractingPath("$.history[0].name").isEqualTo("PENDING");
    then(orders).should().place(new PlaceOrder("C-1", List.of(new PlaceOrder.Item("P-1", 2))));
    then(keys).shouldHaveNoInteractions();
  }

  @Test
  void acceptsFiftyLines() {
    given(orders.place(any())).willReturn(placed(pendingOrder()));

    assertThat(place(bodyWithLines(50))).hasStatus(HttpStatus.CREATED);
  }

  @Test
  void rejectsMalformedJson() {
    assertRejected(place("{\"customerId\": \"C-1\", \"items\": ["), HttpStatus.BAD_REQUEST);
  }

  @Test
  void rejectsAMissingCustomer() {
    MvcTestResult result = place("{\"items\": [{\"productId\": \"P-1\", \"quantity\": 2}]}");

    assertRejected(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("customerId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not valid!", "C/1", "x"})
  void rejectsAnInvalidCustomerId(String customerId) {
    String id = customerId.equals("x") ? "x".repeat(65) : customerId;
    MvcTestResult result =
        place(
            "{\"customerId\": \""
                + id
                + "\", \"items\": [{\"productId\": \"P-1\", \"quantity\": 2}]}");

    assertRejected(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("customerId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"customerId\": \"C-1\"}", "{\"customerId\": \"C-1\", \"items\": []}"})
  void rejectsAnOrderWithoutItems(String body) {
    MvcTestResult result = place(body);

    assertRejected(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("items");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1001", "-1", "null"})
  void rejectsAQuantityOutsideOneToAThousand(String quantity) {
    MvcTestResult result =
        place(
            "{\"customerId\": \"C-1\", \"items\": [{\"productId\": \"P-1\", \"quantity\": "
                + quantity
                + "}]}");

    assertRejected(result, HttpStatus.BAD_REQUEST);
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("items[0].quantity");
  }

  @Test
  void rejectsAQuantityWrittenAsAString() {
    assertRejected(
        place(
            "{\"customerId\": \"C-1\", \"items\": [{\"productId\": \"P-1\", \"quantity\": \"2\"}]}"),
        HttpStatus.BAD_REQUEST);
  }

  @Test
  void rejectsAnInvalidProductId() {
    MvcTestResult result =
        place("{\"customerId\": \"C-1\", \"items\": [{\"productId\": \"P 1\", \"quantity\": 2}]}");

    assertRejected(result, HttpStatus.BAD_REQUEST);
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("items[0].productId");
  }

  @Test
  void rejectsAMissingLine() {
    assertRejected(place("{\"customerId\": \"C-1\", \"items\": [null]}"), HttpStatus.BAD_REQUEST);
  }

  @Test
  void rejectsMoreThanFiftyLines() {
    MvcTestResult result = place(bodyWithLines(51));

    assertRejected(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("items");
  }

  @Test
  void rejectsTheSameProductTwice() {
    MvcTestResult result =
        place(
            """
            {"customerId": "C-1", "items": [
              {"productId": "P-1", "quantity": 2}, {"productId": "P-1", "quantity": 1}]}""");

    assertRejected(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("items");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors[0].message")
        .isEqualTo("must name each product once");
  }

  @Test
  void rejectsAnUnknownOrInactiveProductAsUnprocessable() {
    given(orders.place(any()))
        .willThrow(new ProductNotOrderableException(Map.of("P-1", "unknown")));

    MvcTestResult result = place(BODY);

    assertRejected(result, HttpStatus.UNPROCESSABLE_CONTENT);
    assertThat(result).bodyJson().extractingPath("$.products.P-1").isEqualTo("unknown");
  }

  @Test
  void placesAnOrderOnceForANewIdempotencyKeyAndKeepsTheResponse() throws Exception {
    Order order = pendingOrder();
    given(keys.tryLock("key-1")).willReturn(true);
    given(keys.find("key-1")).willReturn(Optional.empty());
    given(orders.place(any())).willReturn(placed(order));

    MvcTestResult result = place(BODY, "key-1");

    assertThat(result).hasStatus(HttpStatus.CREATED);
    then(keys)
        .should()
        .save(
            eq("key-1"),
            eq(
                new IdempotencyKeys.Stored(
                    "{\"customerId\":\"C-1\",\"items\":[{\"productId\":\"P-1\",\"quantity\":2}]}",
                    result.getResponse().getContentAsString(),
                    "/api/orders/" + order.id())));
  }

  @Test
  void replaysTheOriginalResponseForTheSameKeyAndRequest() throws Exception {
    Order order = pendingOrder();
    given(keys.tryLock("key-1")).willReturn(true);
    given(orders.place(any())).willReturn(placed(order));
    given(keys.find("key-1")).willReturn(Optional.empty());
    MvcTestResult first = place(BODY, "key-1");
    ArgumentCaptor<IdempotencyKeys.Stored> stored =
        ArgumentCaptor.forClass(IdempotencyKeys.Stored.class);
    then(keys).should().save(eq("key-1"), stored.capture());
    given(keys.find("key-1")).willReturn(Optional.of(stored.getValue()));

    // The same request, written differently: compared as parsed JSON.
    MvcTestResult replay =
        place(
            "{ \"items\": [ {\"quantity\": 2, \"productId\": \"P-1\"} ],\n \"customerId\": \"C-1\" }",
            "key-1");

    assertThat(replay).hasStatus(HttpStatus.CREATED);
    assertThat(replay).headers().hasValue("Location", "/api/orders/" + order.id());
    assertThat(replay.getResponse().getContentAsString())
        .isEqualTo(first.getResponse().getContentAsString());
    then(orders).should().place(any());
  }

  @Test
  void rejectsAKeyReusedForAnotherRequest() {
    given(keys.tryLock("key-1")).willReturn(true);
    given(keys.find("key-1"))
        .willReturn(
            Optional.of(
                new IdempotencyKeys.Stored(
                    "{\"customerId\":\"C-2\",\"items\":[{\"productId\":\"P-1\",\"quantity\":2}]}",
                    "{}",
                    "/api/orders/" + UUID.randomUUID())));

    assertRejected(place(BODY, "key-1"), HttpStatus.UNPROCESSABLE_CONTENT);
    then(orders).shouldHaveNoInteractions();
    then(keys).should(never()).save(anyString(), any());
  }

  @Test
  void rejectsAKeyWhileARequestWithItIsInFlight() {
    given(keys.tryLock("key-1")).willReturn(false);

    assertRejected(place(BODY, "key-1"), HttpStatus.CONFLICT);
    then(orders).shouldHaveNoInteractions();
  }

  @Test
  void storesNoKeyForARejectedRequest() {
    given(keys.tryLock("key-1")).willReturn(true);
    given(keys.find("key-1")).willReturn(Optional.empty());
    given(orders.place(any()))
        .willThrow(new ProductNotOrderableException(Map.of("P-1", "inactive")));

    assertRejected(place(BODY, "key-1"), HttpStatus.UNPROCESSABLE_CONTENT);
    then(keys).should(never()).save(anyString(), any());
  }

  @Test
  void rejectsABlankIdempotencyKeyOrOneLongerThan255Characters() {
    assertRejected(place(BODY, "k".repeat(256)), HttpStatus.BAD_REQUEST);
    assertRejected(place(BODY, " "), HttpStatus.BAD_REQUEST);
    then(orders).shouldHaveNoInteractions();
  }

  @Test
  void refusesANewOrderWithTooManyRequestsWhileTheListenersAreMoreThanTwoSecondsBehind() {
    given(listenerDelay.current()).willReturn(Duration.ofMillis(4_500));

    MvcTestResult result = place(BODY);

    assertRejected(result, HttpStatus.TOO_MANY_REQUESTS);
    assertThat(result).headers().hasValue("Retry-After", "5");
    assertThat(result).bodyJson().extractingPath("$.behindMillis").isEqualTo(4_500);
    assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("4500 ms behind");
    then(orders).shouldHaveNoInteractions();
    then(pending).shouldHaveNoInteractions();
  }

  @Test
  void refusesANewOrderWithTooManyRequestsWhileThirtyTwoOrdersArePending() {
    given(pending.count())
        .willReturn(new PendingOrders.Count(32, Optional.of(Instant.now().minusMillis(2_500))));

    MvcTestResult result = place(BODY, "key-1");

    assertRejected(result, HttpStatus.TOO_MANY_REQUESTS);
    // As long as the oldest pending order has been in its saga: at least 2.5 s, rounded up.
    assertThat(Integer.parseInt(result.getResponse().getHeader("Retry-After"))).isBetween(3, 60);
    assertThat(result).bodyJson().extractingPath("$.pendingOrders").isEqualTo(32);
    assertThat(result)
        .bodyJson()
        .extractingPath("$.detail")
        .asString()
        .contains("32 orders are pending (the order service takes new ones while fewer than 32");
    then(orders).shouldHaveNoInteractions();
    then(keys).shouldHaveNoInteractions();
  }

  @Test
  void placesAnOrderWhileFewerThanThirtyTwoArePending() {
    given(pending.count())
        .willReturn(new PendingOrders.Count(31, Optional.of(Instant.now().minusSeconds(20))));
    given(orders.place(any())).willReturn(placed(pendingOrder()));

    assertThat(place(BODY)).hasStatus(HttpStatus.CREATED);
  }

  @Test
  void placesAnOrderWhileTheListenersAreAtMostTwoSecondsBehind() {
    given(listenerDelay.current()).willReturn(Duration.ofSeconds(2));
    given(orders.place(any())).willReturn(placed(pendingOrder()));

    assertThat(place(BODY)).hasStatus(HttpStatus.CREATED);
  }

  @Test
  void refusesBeforeTouchingTheDatabaseSoTheKeyStaysFree() {
    given(listenerDelay.current()).willReturn(Duration.ofMillis(2_001));

    MvcTestResult result = place(BODY, "key-1");

    assertRejected(result, HttpStatus.TOO_MANY_REQUESTS);
    assertThat(result).headers().hasValue("Retry-After", "3");
    then(orders).shouldHaveNoInteractions();
    then(keys).shouldHaveNoInteractions();
  }

  @Test
  void refusesBeforeTheBodyIsReadOrValidated() {
    given(listenerDelay.current()).willReturn(Duration.ofMillis(4_500));

    // A body that would be a 400: the refusal does not spend the parsing on it.
    MvcTestResult result = place("{\"customerId\": ");

    assertRejected(result, HttpStatus.TOO_MANY_REQUESTS);
    assertThat(result).headers().hasValue("Retry-After", "5");
  }

  @Test
  void answersReadsAndCancelsWhileRefusingNewOrders() {
    given(listenerDelay.current()).willReturn(Duration.ofSeconds(30));
    given(pending.count()).willReturn(new PendingOrders.Count(1_000, Optional.of(Instant.now())));
    Order order = pendingOrder();
    order.cancelByCustomer(later());
    given(orders.findByCustomer(eq("C-1"), any()))
        .willReturn(new PageImpl<>(List.of(placed(order))));
    given(orders.cancelByCustomer(order.id())).willReturn(Optional.of(placed(order)));

    // GET on the path of POST /api/orders is not a new order.
    assertThat(mvc.get().uri("/api/orders?customerId=C-1").exchange()).hasStatusOk();
    assertThat(mvc.post().uri("/api/orders/{id}/cancel", order.id()).exchange())
        .hasStatus(HttpStatus.ACCEPTED);
    assertRejected(place(BODY), HttpStatus.TOO_MANY_REQUESTS);
  }

  @Test
  void refusesARepeatedRequestWhileBehindAndAnswersItWithItsStoredResponseOnceCaughtUp()
      throws Exception {
    Order order = pendingOrder();
    given(keys.tryLock("key-1")).willReturn(true);
    given(keys.find("key-1")).willReturn(Optional.empty());
    given(orders.place(any())).willReturn(placed(order));
    MvcTestResult first = place(BODY, "key-1");
    ArgumentCaptor<IdempotencyKeys.Stored> stored =
        ArgumentCaptor.forClass(IdempotencyKeys.Stored.class);
    then(keys).should().save(eq("key-1"), stored.capture());
    given(keys.find("key-1")).willReturn(Optional.of(stored.getValue()));
    given(listenerDelay.current()).willReturn(Duration.ofSeconds(30));

    assertRejected(place(BODY, "key-1"), HttpStatus.TOO_MANY_REQUESTS);

    given(listenerDelay.current()).willReturn(Duration.ofMillis(15));
    MvcTestResult replay = place(BODY, "key-1");
    assertThat(replay).hasStatus(HttpStatus.CREATED);
    assertThat(replay.getResponse().getContentAsString())
        .isEqualTo(first.getResponse().getContentAsString());
    then(orders).should().place(any());
  }

  @Test
  void showsAnOrderWithItsHistory() {
    Order order = pendingOrder();
    order.on(InventoryUpdated.rejected(order.id(), InventoryUpdated.Reason.OUT_OF_STOCK), later());
    given(orders.find(order.id()))
        .willReturn(
            Optional.of(
                placed(
                    order,
                    new HistoryEntry(
                        HistoryEntry.Kind.EVENT,
                        "InventoryUpdated.REJECTED",
                        later().minusMillis(1)),
                    new HistoryEntry(HistoryEntry.Kind.STATUS, "CANCELLED", later()))));

    MvcTestResult result = mvc.get().uri("/api/orders/{id}", order.id()).exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("CANCELLED");
    assertThat(result).bodyJson().extractingPath("$.cancellationReason").isEqualTo("OUT_OF_STOCK");
    assertThat(result).bodyJson().extractingPath("$.updatedAt").isEqualTo(later().toString());
    assertThat(result)
        .bodyJson()
        .extractingPath("$.history[*].name")
        .asArray()
        .containsExactly("PENDING", "InventoryUpdated.REJECTED", "CANCELLED");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.history[*].kind")
        .asArray()
        .containsExactly("STATUS", "EVENT", "STATUS");
  }

  @Test
  void answersNotFoundForAnUnknownOrder() {
    UUID orderId = UUID.randomUUID();
    given(orders.find(orderId)).willReturn(Optional.empty());

    assertRejected(mvc.get().uri("/api/orders/{id}", orderId).exchange(), HttpStatus.NOT_FOUND);
  }

  @Test
  void rejectsAnOrderIdThatIsNotAUuid() {
    assertRejected(mvc.get().uri("/api/orders/not-a-uuid").exchange(), HttpStatus.BAD_REQUEST);
  }

  @Test
  void listsACustomersOrdersNewestFirst() {
    Order order = pendingOrder();
    Pageable expected =
        PageRequest.of(1, 5, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
    given(orders.findByCustomer("C-1", expected))
        .willReturn(new PageImpl<>(List.of(placed(order)), expected, 6));

    MvcTestResult result = mvc.get().uri("/api/orders?customerId=C-1&page=1&size=5").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result)
        .bodyJson()
        .extractingPath("$.content[0].orderId")
        .isEqualTo(order.id().toString());
    assertThat(result).bodyJson().extractingPath("$.page.number").isEqualTo(1);
    assertThat(result).bodyJson().extractingPath("$.page.size").isEqualTo(5);
    assertThat(result).bodyJson().extractingPath("$.page.totalElements").isEqualTo(6);
    assertThat(result).bodyJson().extractingPath("$.page.totalPages").isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "?customerId=",
        "?customerId=not%20valid",
        "?customerId=C-1&page=-1",
        "?customerId=C-1&size=0",
        "?customerId=C-1&size=101",
        "?customerId=C-1&page=x"
      })
  void rejectsAMissingOrInvalidListQuery(String query) {
    assertRejected(mvc.get().uri("/api/orders" + query).exchange(), HttpStatus.BAD_REQUEST);
    then(orders).shouldHaveNoInteractions();
  }

  @Test
  void cancelsAPendingOrder() {
    Order order = pendingOrder();
    order.cancelByCustomer(later());
    given(orders.cancelByCustomer(order.id()))
        .willReturn(
            Optional.of(
                placed(order, new HistoryEntry(HistoryEntry.Kind.STATUS, "CANCELLED", later()))));

    MvcTestResult result = mvc.post().uri("/api/orders/{id}/cancel", order.id()).exchange();

    assertThat(result).hasStatus(HttpStatus.ACCEPTED);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("CANCELLED");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.cancellationReason")
        .isEqualTo(CancelOrder.Reason.CUSTOMER_CANCELLED.name());
  }

  @Test
  void refusesToCancelAConfirmedOrder() {
    UUID orderId = UUID.randomUUID();
    given(orders.cancelByCustomer(orderId)).willThrow(new OrderAlreadyConfirmedException(orderId));

    assertRejected(
        mvc.post().uri("/api/orders/{id}/cancel", orderId).exchange(), HttpStatus.CONFLICT);
  }

  @Test
  void answersNotFoundWhenCancellingAnUnknownOrder() {
    UUID orderId = UUID.randomUUID();
    given(orders.cancelByCustomer(orderId)).willReturn(Optional.empty());

    assertRejected(
        mvc.post().uri("/api/orders/{id}/cancel", orderId).exchange(), HttpStatus.NOT_FOUND);
  }

  @Test
  void rejectsCancellingAnOrderIdThatIsNotAUuid() {
    assertRejected(mvc.post().uri("/api/orders/42/cancel").exchange(), HttpStatus.BAD_REQUEST);
  }

  private MvcTestResult place(String body) {
    return mvc.post()
        .uri("/api/orders")
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private MvcTestResult place(String body, String idempotencyKey) {
    return mvc.post()
        .uri("/api/orders")
        .header("Idempotency-Key", idempotencyKey)
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private static String bodyWithLines(int lines) {
    return IntStream.range(0, lines)
        .mapToObj(i -> "{\"productId\": \"P-" + i + "\", \"quantity\": 1}")
        .collect(Collectors.joining(",", "{\"customerId\": \"C-1\", \"items\": [", "]}"));
  }

  private static Order pendingOrder() {
    return Order.place(
            UUID.randomUUID(),
            "C-1",
            List.of(new OrderLine("P-1", 2, new BigDecimal("10.00"))),
            "EUR",
            PLACED_AT)
        .order();
  }

  /** The order with its history: {@code PENDING} when it was placed, then {@code later}. */
  private static OrderDetails placed(Order order, HistoryEntry... later) {
    List<HistoryEntry> history = new ArrayList<>();
    history.add(new HistoryEntry(HistoryEntry.Kind.STATUS, "PENDING", order.createdAt()));
    history.addAll(List.of(later));
    return new OrderDetails(order, history);
  }

  private static Instant later() {
    return PLACED_AT.plusSeconds(5);
  }

  private static void assertRejected(MvcTestResult result, HttpStatus status) {
    assertThat(result).hasStatus(status);
    assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
  }
}
