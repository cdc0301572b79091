package dev.saga.web;

import jakarta.validation.Valid;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** A tiny HTTP edge that uses everything web-support offers. */
@SpringBootApplication
class SampleApplication {

  record Payment(@ResourceId String customerId, @Money BigDecimal amount, Integer count) {}

  @RestController
  @Validated
  static class SampleController {

    @PostMapping("/payments")
    @ProblemResponses({400})
    Payment echo(@Valid @RequestBody Payment payment) {
      return payment;
    }

    @GetMapping("/items/{id}")
    @ProblemResponses({400, 404})
    String item(@PathVariable @ResourceId String id) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No item " + id);
    }

    @GetMapping("/items")
    PagedModel<String> items(Pageable pageable) {
      return new PagedModel<>(new PageImpl<>(List.of("a", "b"), pageable, 5));
    }

    /** Fails as the database access of a service does, wrapped as Spring and Hibernate wrap it. */
    @GetMapping("/failures/{kind}")
    String fail(@PathVariable String kind) {
      throw switch (kind) {
        case "pool-timeout" ->
            new IllegalStateException(
                "Could not open JPA EntityManager for transaction",
                new SQLTransientConnectionException(
                    "HikariPool-1 - Connection is not available, request timed out after 30000ms"));
        case "connection-closed" ->
            new IllegalStateException(
                "could not execute statement",
                new RuntimeException(
                    new SQLException("This connection has been closed.", "08003")));
        case "rollback-on-a-broken-connection" ->
            // What Hikari's stand-in for a connection it closed throws (no SQLState), wrapped as
            // Spring's JpaSystemException wraps Hibernate's TransactionException.
            new IllegalStateException(
                "Unable to rollback against JDBC Connection",
                new RuntimeException(new SQLException("Connection is closed")));
        case "server-shutdown" ->
            new IllegalStateException(
                "PreparedStatementCallback",
                new SQLException(
                    "FATAL: terminating connection due to administrator command", "57P01"));
        case "duplicate-key" ->
            new IllegalStateException(
                "could not execute statement",
                new SQLException("duplicate key value violates unique constraint", "23505"));
        default -> new IllegalStateException("internal state of " + kind);
      };
    }
  }
}
