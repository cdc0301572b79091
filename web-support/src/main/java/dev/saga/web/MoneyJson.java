package dev.saga.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Amounts over HTTP are JSON numbers with exactly two decimals ({@code 10.00}), read into {@link
 * BigDecimal} without passing through binary floating point.
 */
final class MoneyJson {

  private MoneyJson() {}

  static SimpleModule module() {
    return new SimpleModule("money").addSerializer(BigDecimal.class, new TwoDecimals());
  }

  private static final class TwoDecimals extends ValueSerializer<BigDecimal> {
    @Override
    public void serialize(BigDecimal value, JsonGenerator gen, SerializationContext context) {
      gen.writeNumber(value.setScale(2, RoundingMode.UNNECESSARY));
    }
  }
}
