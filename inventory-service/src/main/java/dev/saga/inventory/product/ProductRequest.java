package dev.saga.inventory.product;

import dev.saga.web.Money;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** The body of {@code PUT /api/products/{productId}}; {@code active} defaults to {@code true}. */
record ProductRequest(
    @NotBlank @Size(max = 200) String name,
    @NotNull @Money BigDecimal price,
    @NotNull @Min(0) @Max(1_000_000) Integer stock,
    Boolean active) {

  boolean activeOrDefault() {
    return active == null || active;
  }
}
