package dev.saga.load;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The three facts the public APIs cannot show, read with documented read-only queries (each runs in
 * a read-only transaction, so the checker can never change what it checks).
 */
public final class ReadOnlyQueries {

  /** Customers who ever placed an order; the order API lists orders per customer only. */
  static final String CUSTOMERS = "select distinct customer_id from orders";

  /** Σ stock adjustments per product (the PUTs of the catalog); no API shows them. */
  static final String STOCK_ADJUSTMENTS =
      "select product_id, sum(delta) from stock_adjustments group by product_id";

  /** The balance each account's last PUT set, and when; no API shows it. */
  static final String LAST_RESETS =
      """
      select distinct on (customer_id) customer_id, balance, at
      from account_resets order by customer_id, at desc, id desc
      """;

  private final Endpoints endpoints;

  public ReadOnlyQueries(Endpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** A customer's balance as its last PUT set it, and when that was. */
  public record Reset(BigDecimal balance, Instant at) {}

  public Set<String> customers() {
    Set<String> customers = new TreeSet<>();
    query(endpoints.orderDatabase(), CUSTOMERS, row -> customers.add(row.getString(1)));
    return customers;
  }

  public Map<String, Long> stockAdjustments() {
    Map<String, Long> adjustments = new HashMap<>();
    query(
        endpoints.inventoryDatabase(),
        STOCK_ADJUSTMENTS,
        row -> adjustments.put(row.getString(1), row.getLong(2)));
    return adjustments;
  }

  public Map<String, Reset> lastResets() {
    Map<String, Reset> resets = new HashMap<>();
    query(
        endpoints.paymentDatabase(),
        LAST_RESETS,
        row ->
            resets.put(
                row.getString(1),
                new Reset(row.getBigDecimal(2), row.getTimestamp(3).toInstant())));
    return resets;
  }

  private interface Row {
    void read(ResultSet row) throws SQLException;
  }

  private static void query(Endpoints.Database database, String sql, Row row) {
    try (Connection connection =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql);
          ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          row.read(result);
        }
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Read-only query on " + database.jdbcUrl() + " failed", e);
    }
  }
}
