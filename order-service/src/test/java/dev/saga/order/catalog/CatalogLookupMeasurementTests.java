package dev.saga.order.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saga.test.ServiceTest;
import jakarta.persistence.EntityManager;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Measures on demand ({@code -Dmeasure.catalog=true}; BENCHMARKS.md, twentieth round) what the
 * catalog lookup of every placed order costs: Spring Data's {@code findAllById}, which {@link
 * Catalog#unitPrices} uses and which builds a criteria query per call, against a JPQL query, whose
 * plan Hibernate caches, and plain SQL. {@code -Dmeasure.catalog.plan-cache=true} turns on
 * Hibernate's plan cache for criteria queries too. Each lookup of one to three products runs in a
 * transaction of its own; the CPU time of the calling thread is reported per lookup.
 */
@ServiceTest(
    properties =
        "spring.jpa.properties.hibernate.criteria.plan_cache_enabled="
            + "${measure.catalog.plan-cache:false}")
@EnabledIfSystemProperty(named = "measure.catalog", matches = "true")
class CatalogLookupMeasurementTests {

  private static final int PRODUCTS = 100;
  private static final int CALLS = 10_000;
  private static final int ROUNDS = 6;

  @Autowired CatalogProducts products;
  @Autowired EntityManager entityManager;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;

  record Row(String productId, BigDecimal price, String currency, boolean active) {}

  @Test
  void measuresTheLookup() {
    List<String> ids = new ArrayList<>();
    transactions.executeWithoutResult(
        status -> {
          for (int i = 0; i < PRODUCTS; i++) {
            ids.add("LOOKUP-" + i);
            products.upsert(ids.getLast(), "Product " + i, new BigDecimal("9.99"), "EUR", true, 1);
          }
        });
    Random random = new Random(1);
    List<List<String>> lookups = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      lookups.add(
          random.ints(1 + random.nextInt(3), 0, PRODUCTS).distinct().mapToObj(ids::get).toList());
    }
    Map<String, ToIntFunction<List<String>>> variants = new LinkedHashMap<>();
    variants.put(
        "Spring Data findAllById (criteria)", wanted -> products.findAllById(wanted).size());
    variants.put(
        "JPQL `where p.productId in :ids`",
        wanted ->
            entityManager
                .createQuery(
                    "select p from CatalogProduct p where p.productId in :ids",
                    CatalogProduct.class)
                .setParameter("ids", wanted)
                .getResultList()
                .size());
    variants.put(
        "SQL `where product_id = any(?)` (JdbcClient)",
        wanted ->
            jdbc.sql(
                    "select product_id, price, currency, active from catalog_products"
                        + " where product_id = any(?)")
                .param(wanted.toArray(String[]::new))
                .query(Row.class)
                .list()
                .size());

    Map<String, double[]> micros = new LinkedHashMap<>();
    variants.keySet().forEach(name -> micros.put(name, new double[ROUNDS]));
    for (int round = 0; round < ROUNDS; round++) {
      for (var variant : variants.entrySet()) {
        micros.get(variant.getKey())[round] = cpuMicrosPerCall(variant.getValue(), lookups);
      }
    }
    System.out.printf(
        "%nCriteria plan cache: %s%n", System.getProperty("measure.catalog.plan-cache", "false"));
    System.out.println(
        "| lookup, one transaction each | µs CPU, first 10,000 calls | µs CPU, rounds 4-6 (median) |");
    System.out.println("|---|---:|---:|");
    micros.forEach(
        (name, rounds) -> {
          double[] late = Arrays.copyOfRange(rounds, 3, ROUNDS);
          Arrays.sort(late);
          System.out.printf("| %s | %.0f | %.0f |%n", name, rounds[0], late[late.length / 2]);
        });
  }

  private double cpuMicrosPerCall(ToIntFunction<List<String>> lookup, List<List<String>> lookups) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < CALLS; i++) {
      List<String> wanted = lookups.get(i % lookups.size());
      int found = transactions.execute(status -> lookup.applyAsInt(wanted));
      assertThat(found).isEqualTo(wanted.size());
    }
    return (threads.getCurrentThreadCpuTime() - start) / 1_000.0 / CALLS;
  }
}
