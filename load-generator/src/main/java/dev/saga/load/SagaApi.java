package dev.saga.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/** A plain JSON-over-HTTP client of the services' public APIs. */
public final class SagaApi {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  // HTTP/1.1: the services speak nothing else over plain HTTP, and the default (HTTP/2) would add
  // an upgrade offer to every new connection.
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  // Amounts are decimals: never read through binary floating point.
  private final JsonMapper json =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  /** One answer: its status and its body (null when empty). */
  public record Response(int status, JsonNode body, HttpResponse<String> raw) {

    public boolean isSuccessful() {
      return status >= 200 && status < 300;
    }
  }

  /** One answer whose body is not JSON. */
  public record Text(int status, String body) {}

  /** GET of a text resource, e.g. {@code /actuator/prometheus}. */
  public Text getText(URI base, String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return new Text(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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

  /**
   * The POST that was answered other than by a refusal (or the last refusal), and when it was sent.
   */
  public record Placement(Response response, long sentNanos, Instant sentAt) {}

  /**
   * POSTs an order as a customer does whom the order service refuses: with 429 (the saga is too far
   * behind), or with 503 (its database is unreachable) when the POST carries an {@code
   * Idempotency-Key}. It tries again after each {@code Retry-After} plus up to as long again
   * ({@code jitter}, 0 to 1), with the same request and headers (so the same key), and gives up
   * after {@code giveUpAfter}, returning the last refusal. Without the jitter, the customers
   * refused in one second all come back in the same second, and are all admitted at once when the
   * service catches up. Each refusal but the last is handed to {@code refused}.
   *
   * <p>A 503 without a key is returned at once: the order may have been committed before the
   * database went away, and only the key makes a second POST return that order instead of placing
   * another.
   */
  public Placement placeOrder(
      URI orderService,
      Object body,
      Duration giveUpAfter,
      Consumer<Response> refused,
      DoubleSupplier jitter,
      String... headers) {
    long giveUpNanos = System.nanoTime() + giveUpAfter.toNanos();
    while (true) {
      long sentNanos = System.nanoTime();
      Instant sentAt = Instant.now();
      Response response = post(orderService, "/api/orders", body, headers);
      if (!isRefusal(response, headers) || System.nanoTime() > giveUpNanos) {
        return new Placement(response, sentNanos, sentAt);
      }
      refused.accept(response);
      Duration retryAfter = retryAfter(response);
      try {
        Thread.sleep(retryAfter.plusNanos((long) (retryAfter.toNanos() * jitter.getAsDouble())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Placement(response, sentNanos, sentAt);
      }
    }
  }

  /**
   * POSTs an order as {@link #placeOrder(URI, Object, Duration, Runnable, DoubleSupplier,
   * String...)} does, trying a refused order again for up to two minutes: the answer that is not a
   * refusal, or the last refusal.
   */
  public Response placeOrder(URI orderService, Object body, String... headers) {
    return placeOrder(
            orderService,
            body,
            Duration.ofMinutes(2),
            refusal -> {},
            () -> ThreadLocalRandom.current().nextDouble(),
            headers)
        .response();
  }

  private static boolean isRefusal(Response response, String... headers) {
    return response.status() == 429
        || response.status() == 503
            && IntStream.iterate(0, i -> i < headers.length, i -> i + 2)
                .anyMatch(i -> headers[i].equalsIgnoreCase("Idempotency-Key"));
  }

  /**
   * Why the order service refused a POST, told by its status and problem details: {@code
   * "unavailable"} (503: its database is unreachable), or for a 429 {@code "pending orders"} (too
   * many orders pending, property {@code pendingOrders}), {@code "listeners behind"} (its listeners
   * behind on the saga's events, {@code behindMillis}), or {@code "other"}.
   */
  public static String refusal(Response response) {
    if (response.status() == 503) {
      return "unavailable";
    }
    JsonNode problem = response.body();
    if (problem != null && problem.has("pendingOrders")) {
      return "pending orders";
    }
    if (problem != null && problem.has("behindMillis")) {
      return "listeners behind";
    }
    return "other";
  }

  /** The answer's {@code Retry-After} in seconds, or one second. */
  private static Duration retryAfter(Response response) {
    return response
        .raw()
        .headers()
        .firstValue("Retry-After")
        .flatMap(
            seconds -> {
              try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(seconds.trim())));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            })
        .orElse(Duration.ofSeconds(1));
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
