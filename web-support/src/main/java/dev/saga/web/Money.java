package dev.saga.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A required amount of money: present, not negative, at most two decimals (a third is an error,
 * never rounded).
 */
@Documented
@Constraint(validatedBy = {})
@Target({
  ElementType.FIELD,
  ElementType.PARAMETER,
  ElementType.RECORD_COMPONENT,
  ElementType.TYPE_USE
})
@Retention(RetentionPolicy.RUNTIME)
@NotNull
@DecimalMin("0.00")
@Digits(integer = 13, fraction = 2)
@ReportAsSingleViolation
public @interface Money {

  String message() default "must be an amount of at least 0.00 with at most two decimals";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
