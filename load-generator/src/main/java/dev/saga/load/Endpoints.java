package dev.saga.load;

import java.net.URI;

/**
 * Where the four services and the databases the checker reads (read-only) are.
 *
 * @param order base URL of the order service, e.g. {@code http://localhost:8081}
 */
public record Endpoints(
    URI order,
    URI inventory,
    URI payment,
    URI notification,
    Database orderDatabase,
    Database inventoryDatabase,
    Database paymentDatabase) {

  /** The stack {@code ./run-local.sh} starts. */
  public static Endpoints local() {
    return new Endpoints(
        URI.create("http://localhost:8081"),
        URI.create("http://localhost:8082"),
        URI.create("http://localhost:8083"),
        URI.create("http://localhost:8084"),
        Database.local("order_service"),
        Database.local("inventory_service"),
        Database.local("payment_service"));
  }

  /** A database the checker reads with documented read-only queries. */
  public record Database(String jdbcUrl, String username, String password) {

    static Database local(String name) {
      return new Database("jdbc:postgresql://localhost:5432/" + name, name, name);
    }
  }
}
