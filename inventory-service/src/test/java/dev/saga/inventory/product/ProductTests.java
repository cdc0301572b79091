package dev.saga.inventory.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.saga.events.ProductChanged;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProductTests {

  private final Product product = new Product("P-1", Instant.now());

  @Test
  void firstDefinitionMakesTheStockAvailableAndRecordsItAsAnAdjustment() {
    Product.Definition definition = product.define("Pen", new BigDecimal("2.5"), "EUR", true, 10);

    assertThat(definition.event())
        .isEqualTo(new ProductChanged("P-1", "Pen", new BigDecimal("2.50"), "EUR", true, 1));
    assertThat(definition.adjustment()).get().extracting(StockAdjustment::getDelta).isEqualTo(10);
    assertThat(stock()).containsExactly(10, 0, 0);
  }

  @Test
  void firstDefinitionWithoutStockStillRecordsAnAdjustment() {
    Product.Definition definition = product.define("Pen", BigDecimal.ONE, "EUR", true, 0);

    assertThat(definition.adjustment()).get().extracting(StockAdjustment::getDelta).isEqualTo(0);
  }

  @Test
  void redefinitionSetsAvailableLeavesReservedAndSoldAndRecordsTheDifference() {
    product.define("Pen", BigDecimal.ONE, "EUR", true, 10);
    product.reserve(4);
    product.sell(1);

    Product.Definition definition =
        product.define("Blue pen", new BigDecimal("3.00"), "EUR", false, 2);

    assertThat(stock()).containsExactly(2, 3, 1);
    assertThat(definition.adjustment()).get().extracting(StockAdjustment::getDelta).isEqualTo(-4);
    assertThat(10 + definition.adjustment().get().getDelta())
        .as("adjustments sum to available + reserved + sold")
        .isEqualTo(2 + 3 + 1);
    assertThat(definition.event())
        .isEqualTo(new ProductChanged("P-1", "Blue pen", new BigDecimal("3.00"), "EUR", false, 2));
  }

  @Test
  void redefinitionWithUnchangedStockRecordsNoAdjustmentButANewVersion() {
    product.define("Pen", BigDecimal.ONE, "EUR", true, 10);

    Product.Definition definition = product.define("Pen", BigDecimal.TEN, "EUR", true, 10);

    assertThat(definition.adjustment()).isEmpty();
    assertThat(definition.event().version()).isEqualTo(2);
    assertThat(product.getVersion()).isEqualTo(2);
  }

  @Test
  void refusesNegativeStock() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> product.define("Pen", BigDecimal.ONE, "EUR", true, -1));
  }

  @Test
  void reservesUpToTheAvailableStock() {
    product.define("Pen", BigDecimal.ONE, "EUR", true, 3);

    assertThat(product.canReserve(3)).isTrue();
    assertThat(product.canReserve(4)).isFalse();
    product.reserve(3);

    assertThat(stock()).containsExactly(0, 3, 0);
    assertThatIllegalStateException().isThrownBy(() -> product.reserve(1));
    assertThat(stock()).containsExactly(0, 3, 0);
  }

  @Test
  void releasesAndSellsOnlyWhatIsReserved() {
    product.define("Pen", BigDecimal.ONE, "EUR", true, 5);
    product.reserve(3);

    product.release(1);
    product.sell(2);

    assertThat(stock()).containsExactly(3, 0, 2);
    assertThatIllegalStateException().isThrownBy(() -> product.release(1));
    assertThatIllegalStateException().isThrownBy(() -> product.sell(1));
  }

  @Test
  void refusesQuantitiesBelowOne() {
    product.define("Pen", BigDecimal.ONE, "EUR", true, 5);

    assertThatIllegalArgumentException().isThrownBy(() -> product.reserve(0));
    assertThatIllegalArgumentException().isThrownBy(() -> product.release(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> product.sell(0));
  }

  private Integer[] stock() {
    return new Integer[] {product.getAvailable(), product.getReserved(), product.getSold()};
  }
}
