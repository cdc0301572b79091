package dev.saga.system;

import dev.saga.load.Endpoints;
import dev.saga.stack.LocalStack;
import java.net.URI;

/** Where the load generator and the invariant checker find a {@link LocalStack}'s services. */
final class StackEndpoints {

  private StackEndpoints() {}

  static Endpoints of(LocalStack stack) {
    return new Endpoints(
        URI.create(stack.baseUrl("order-service")),
        URI.create(stack.baseUrl("inventory-service")),
        URI.create(stack.baseUrl("payment-service")),
        URI.create(stack.baseUrl("notification-service")),
        database(stack, "order-service"),
        database(stack, "inventory-service"),
        database(stack, "payment-service"));
  }

  private static Endpoints.Database database(LocalStack stack, String service) {
    String name = service.replace('-', '_');
    return new Endpoints.Database(stack.jdbcUrl(service), name, name);
  }
}
