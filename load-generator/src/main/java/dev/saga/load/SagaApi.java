package dev.saga.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain JSON-over-HTTP client of the services' public APIs. */
public final class SagaApi {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JsonMapper json = JsonMapper.builder().build();

  /** One answer: its status and its body (null when empty). */
  public record Response(int status, JsonNode body, HttpResponse<String> raw) {

    public boolean isSuccessful() {
      return status >= 200 && status < 300;
    }
  }

  public Response get(URI base, String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public Response put(URI base, String path, Object body) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  public Response post(URI base, String path, Object body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  /** Every element of a paged collection ({@code {content, page}}), page by page. */
  public List<JsonNode> allPages(URI base, String path) {
    List<JsonNode> all = new ArrayList<>();
    String separator = path.contains("?") ? "&" : "?";
    for (int page = 0; ; page++) {
      Response response = get(base, path + separator + "size=100&page=" + page);
      if (!response.isSuccessful()) {
        throw new IllegalStateException("GET " + path + " answered " + response.status());
      }
      response.body().get("content").forEach(all::add);
      if (page + 1 >= response.body().at("/page/totalPages").asInt()) {
        return all;
      }
    }
  }

  public JsonMapper json() {
    return json;
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isBlank() ? null : json.readTree(response.body());
      return new Response(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
