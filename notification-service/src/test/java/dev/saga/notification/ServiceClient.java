package dev.saga.notification;

import java.util.UUID;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** The notification service's HTTP API and quiet state, as a client sees them. */
final class ServiceClient {

  private final RestClient http;

  ServiceClient(int port) {
    this.http = RestClient.create("http://localhost:" + port);
  }

  Response notifications(String orderId) {
    return get("/api/notifications?orderId=" + orderId);
  }

  Response notifications(UUID orderId) {
    return notifications(orderId.toString());
  }

  Response quiet() {
    return get("/actuator/health/quiet");
  }

  Response get(String uri) {
    return http.get()
        .uri(uri)
        .exchange(
            (request, response) ->
                new Response(
                    response.getStatusCode().value(),
                    String.valueOf(response.getHeaders().getContentType()),
                    response.bodyTo(JsonNode.class)));
  }

  record Response(int status, String contentType, JsonNode body) {}
}
