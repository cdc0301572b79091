package dev.saga.order.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The lines of an order name each product once; quantities are not split across lines. */
@Documented
@Constraint(validatedBy = DistinctProducts.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@interface DistinctProducts {

  String message() default "must name each product once";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks a list of order lines; missing lines and ids are left to their own constraints. */
  class Validator implements ConstraintValidator<DistinctProducts, List<PlaceOrderRequest.Item>> {

    @Override
    public boolean isValid(List<PlaceOrderRequest.Item> items, ConstraintValidatorContext context) {
      if (items == null) {
        return true;
      }
      Set<String> seen = new HashSet<>();
      return items.stream()
          .filter(Objects::nonNull)
          .map(PlaceOrderRequest.Item::productId)
          .filter(Objects::nonNull)
          .allMatch(seen::add);
    }
  }
}
