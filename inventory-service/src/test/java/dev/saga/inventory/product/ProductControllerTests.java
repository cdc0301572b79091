package dev.saga.inventory.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import dev.saga.inventory.WebConfiguration;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(ProductController.class)
@Import(WebConfiguration.class)
class ProductControllerTests {

  private static final String VALID = "{\"name\":\"Pen\",\"price\":2.5,\"stock\":10}";

  @Autowired MockMvcTester mvc;

  @MockitoBean Catalog catalog;

  @Test
  void definesAProductActiveByDefaultAndAnswersWithIt() {
    given(catalog.define("P-1", "Pen", new BigDecimal("2.5"), true, 10))
        .willReturn(product("P-1", "Pen", "2.5", true, 10));

    MvcTestResult result = put("P-1", VALID);

    assertThat(result).hasStatusOk();
    assertThat(result)
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"productId":"P-1","name":"Pen","price":2.50,"currency":"EUR","active":true,
             "available":10,"reserved":0,"sold":0}
            """);
  }

  @Test
  void passesAnExplicitActiveFlag() {
    given(catalog.define("P-1", "Pen", new BigDecimal("2.50"), false, 0))
        .willReturn(product("P-1", "Pen", "2.50", false, 0));

    MvcTestResult result =
        put("P-1", "{\"name\":\"Pen\",\"price\":2.50,\"stock\":0,\"active\":false}");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.active").isEqualTo(false);
  }

  @Test
  void acceptsTheBoundaryValues() {
    String name = "n".repeat(200);
    given(catalog.define("a", name, new BigDecimal("0"), true, 1_000_000))
        .willReturn(product("a", name, "0", true, 1_000_000));

    MvcTestResult result = put("a", "{\"name\":\"" + name + "\",\"price\":0,\"stock\":1000000}");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.price").isEqualTo(0.0);
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        Arguments.of("no name", "{\"price\":1.00,\"stock\":1}", "name"),
        Arguments.of("a blank name", "{\"name\":\"  \",\"price\":1.00,\"stock\":1}", "name"),
        Arguments.of(
            "a name of 201 characters",
            "{\"name\":\"" + "n".repeat(201) + "\",\"price\":1.00,\"stock\":1}",
            "name"),
        Arguments.of("no price", "{\"name\":\"Pen\",\"stock\":1}", "price"),
        Arguments.of("a negative price", "{\"name\":\"Pen\",\"price\":-0.01,\"stock\":1}", "price"),
        Arguments.of(
            "a price with three decimals",
            "{\"name\":\"Pen\",\"price\":1.005,\"stock\":1}",
            "price"),
        Arguments.of("no stock", "{\"name\":\"Pen\",\"price\":1.00}", "stock"),
        Arguments.of("a negative stock", "{\"name\":\"Pen\",\"price\":1.00,\"stock\":-1}", "stock"),
        Arguments.of(
            "a stock above 1000000",
            "{\"name\":\"Pen\",\"price\":1.00,\"stock\":1000001}",
            "stock"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidBodies")
  void rejectsABodyWithAnInvalidFieldAndNamesIt(String description, String body, String field) {
    MvcTestResult result = put("P-1", body);

    assertProblem(result, HttpStatus.BAD_REQUEST);
    assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo(field);
    then(catalog).shouldHaveNoInteractions();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"name\":\"Pen\",\"price\":\"1.00\",\"stock\":1}",
        "{\"name\":\"Pen\",\"price\":1.00,\"stock\":\"1\"}",
        "{\"name\":\"Pen\",\"price\":1.00,\"stock\":1.5}",
        "{\"name\":\"Pen\",\"price\":1.00,\"stock\":10000000000}",
        "{\"name\":\"Pen\",\"price\":1.00,\"stock\":1,\"active\":\"yes\"}",
        "{\"name\":\"Pen\",\"price\":1.00,",
        "[]",
        ""
      })
  void rejectsABodyThatIsNotAProductDefinition(String body) {
    assertProblem(put("P-1", body), HttpStatus.BAD_REQUEST);
    then(catalog).shouldHaveNoInteractions();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"not valid!", "P%2F1", "ÄÖ"})
  void rejectsAnInvalidProductIdOnPut(String productId) {
    assertProblem(put(productId, VALID), HttpStatus.BAD_REQUEST);
    then(catalog).should(never()).define(anyString(), anyString(), any(), anyBoolean(), anyInt());
  }

  @Test
  void rejectsAProductIdLongerThan64Characters() {
    assertProblem(put("p".repeat(65), VALID), HttpStatus.BAD_REQUEST);
    assertProblem(mvc.get().uri("/api/products/{id}", "p".repeat(65)).exchange(), 400);
    then(catalog).shouldHaveNoInteractions();
  }

  @Test
  void answersWithAProduct() {
    given(catalog.find("P-1")).willReturn(Optional.of(product("P-1", "Pen", "2.50", true, 4)));

    MvcTestResult result = mvc.get().uri("/api/products/P-1").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.productId").isEqualTo("P-1");
    assertThat(result).bodyJson().extractingPath("$.available").isEqualTo(4);
    assertThat(result).bodyJson().extractingPath("$.currency").isEqualTo("EUR");
  }

  @Test
  void answersNotFoundForAnUnknownProduct() {
    given(catalog.find("P-404")).willReturn(Optional.empty());

    MvcTestResult result = mvc.get().uri("/api/products/P-404").exchange();

    assertProblem(result, HttpStatus.NOT_FOUND);
    assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("No product P-404");
  }

  @Test
  void rejectsAnInvalidProductIdOnGet() {
    MvcTestResult result = mvc.get().uri("/api/products/{id}", "no spaces").exchange();

    assertProblem(result, 400);
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .asString()
        .endsWith("productId");
    then(catalog).shouldHaveNoInteractions();
  }

  @Test
  void pagesNewestFirstInTheDesignedFormat() {
    given(catalog.list(any()))
        .willAnswer(
            invocation -> {
              Pageable pageable = invocation.getArgument(0);
              return new PageImpl<>(List.of(product("P-2", "Ink", "1.00", true, 1)), pageable, 3);
            });

    MvcTestResult result = mvc.get().uri("/api/products?page=1&size=2").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.content[0].productId").isEqualTo("P-2");
    assertThat(result).bodyJson().extractingPath("$.page.number").isEqualTo(1);
    assertThat(result).bodyJson().extractingPath("$.page.size").isEqualTo(2);
    assertThat(result).bodyJson().extractingPath("$.page.totalElements").isEqualTo(3);
    assertThat(result).bodyJson().extractingPath("$.page.totalPages").isEqualTo(2);
    ArgumentCaptor<Pageable> pageable = ArgumentCaptor.forClass(Pageable.class);
    then(catalog).should().list(pageable.capture());
    assertThat(pageable.getValue().getSort())
        .isEqualTo(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id")));
  }

  @Test
  void pagesWithDefaults() {
    given(catalog.list(any())).willReturn(new PageImpl<>(List.of()));

    assertThat(mvc.get().uri("/api/products").exchange()).hasStatusOk();

    ArgumentCaptor<Pageable> pageable = ArgumentCaptor.forClass(Pageable.class);
    then(catalog).should().list(pageable.capture());
    assertThat(pageable.getValue().getPageNumber()).isZero();
    assertThat(pageable.getValue().getPageSize()).isEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"page=-1", "size=0", "size=101", "page=x", "size=1.5"})
  void rejectsAnInvalidPageRequest(String query) {
    assertProblem(mvc.get().uri("/api/products?" + query).exchange(), 400);
    then(catalog).shouldHaveNoInteractions();
  }

  private MvcTestResult put(String productId, String body) {
    return mvc.put()
        .uri("/api/products/{productId}", productId)
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private static Product product(String id, String name, String price, boolean active, int stock) {
    Product product = new Product(id, Instant.now());
    product.define(name, new BigDecimal(price), "EUR", active, stock);
    return product;
  }

  private static void assertProblem(MvcTestResult result, int status) {
    assertProblem(result, HttpStatus.valueOf(status));
  }

  private static void assertProblem(MvcTestResult result, HttpStatus status) {
    assertThat(result).hasStatus(status);
    assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
  }
}
