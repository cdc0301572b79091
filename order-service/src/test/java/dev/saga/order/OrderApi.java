package dev.saga.order;

import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The running service's HTTP API as a client sees it: every answer, errors included. */
public final class OrderApi {

  private static final JsonMapper JSON = new JsonMapper();

  private final RestClient http;

  public OrderApi(int port) {
    this.http = RestClient.create("http://localhost:" + port);
  }

  public Response place(String body) {
    return place(body, null);
  }

  public Response place(String body, String idempotencyKey) {
    return http.post()
        .uri("/api/orders")
        .contentType(MediaType.APPLICATION_JSON)
        .headers(
            headers -> {
              if (idempotencyKey != null) {
                headers.set("Idempotency-Key", idempotencyKey);
              }
            })
        .body(body)
        .exchange(
            (request, response) ->
                Response.of(
                    response.getStatusCode().value(),
                    response.getHeaders(),
                    response.bodyTo(String.class)));
  }

  public Response get(String path) {
    return http.get()
        .uri(path)
        .exchange(
            (request, response) ->
                Response.of(
                    response.getStatusCode().value(),
                    response.getHeaders(),
                    response.bodyTo(String.class)));
  }

  public Response post(String path) {
    return http.post()
        .uri(path)
        .exchange(
            (request, response) ->
                Response.of(
                    response.getStatusCode().value(),
                    response.getHeaders(),
                    response.bodyTo(String.class)));
  }

  /** A JSON body for {@code POST /api/orders}: a customer and (productId, quantity) pairs. */
  public static String orderBody(String customerId, Object... productsAndQuantities) {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < productsAndQuantities.length; i += 2) {
      if (i > 0) {
        items.append(", ");
      }
      items.append(
          "{\"productId\": \"%s\", \"quantity\": %s}"
              .formatted(productsAndQuantities[i], productsAndQuantities[i + 1]));
    }
    return "{\"customerId\": \"%s\", \"items\": [%s]}".formatted(customerId, items);
  }

  /**
   * One answer.
   *
   * @param text the body as sent
   * @param body the body parsed as JSON (a missing node if it was empty)
   */
  public record Response(int status, HttpHeaders headers, String text, JsonNode body) {

    static Response of(int status, HttpHeaders headers, String text) {
      String body = Objects.requireNonNullElse(text, "");
      return new Response(
          status, headers, body, body.isEmpty() ? JSON.missingNode() : JSON.readTree(body));
    }

    public String location() {
      return headers.getFirst(HttpHeaders.LOCATION);
    }

    public String contentType() {
      return headers.getFirst(HttpHeaders.CONTENT_TYPE);
    }
  }
}
