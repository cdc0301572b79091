package dev.saga.stack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeds a running stack with demo products and accounts through the public HTTP API, then waits
 * until every service is quiet (the order service's catalog has consumed the products).
 */
public final class DemoData {

  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(60);

  private DemoData() {}

  /** What seeding did not manage; empty when everything is seeded and quiet. */
  public record Outcome(List<String> problems) {

    public boolean succeeded() {
      return problems.isEmpty();
    }
  }

  public static Outcome seed(LocalStack stack, PrintStream out) {
    List<String> problems = new ArrayList<>();
    String inventory = stack.baseUrl("inventory-service");
    put(out, problems, inventory + "/api/products/P-1", product("Espresso cup", "12.50", 100));
    put(out, problems, inventory + "/api/products/P-2", product("Coffee beans 1kg", "24.90", 50));
    put(out, problems, inventory + "/api/products/P-3", product("Limited grinder", "199.00", 2));
    String payment = stack.baseUrl("payment-service");
    put(out, problems, payment + "/api/accounts/C-1", "{\"balance\": 1000.00}");
    put(out, problems, payment + "/api/accounts/C-2", "{\"balance\": 10.00}");
    for (ServiceProcess service : stack.services()) {
      if (service.isAlive()) {
        awaitQuiet(service, problems);
      } else {
        problems.add(service.name() + " is not running, so it cannot become quiet");
      }
    }
    return new Outcome(List.copyOf(problems));
  }

  private static String product(String name, String price, int stock) {
    return "{\"name\": \"%s\", \"price\": %s, \"stock\": %d}".formatted(name, price, stock);
  }

  private static void put(PrintStream out, List<String> problems, String url, String json) {
    try {
      Http.Response response = Http.putJson(url, json);
      if (response.status() / 100 == 2) {
        out.println("[dev-stack] seeded PUT " + url);
      } else {
        problems.add(
            "PUT " + url + " answered " + response.status() + ": " + abbreviate(response.body()));
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      problems.add("PUT " + url + " failed: " + e);
    }
  }

  private static void awaitQuiet(ServiceProcess service, List<String> problems) {
    String url = service.baseUrl() + "/actuator/health/quiet";
    int[] last = {0};
    try {
      Poll.until(
          service.name() + " to be quiet",
          QUIET_TIMEOUT,
          () -> {
            if (last[0] == 404) {
              throw new IllegalStateException("GET " + url + " answered 404 (no quiet group)");
            }
          },
          () -> {
            last[0] = Http.get(url).status();
            return last[0] == 200;
          });
    } catch (IllegalStateException e) {
      problems.add(e.getMessage());
    }
  }

  private static String abbreviate(String body) {
    String oneLine = body.replaceAll("\\s+", " ").strip();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }
}
