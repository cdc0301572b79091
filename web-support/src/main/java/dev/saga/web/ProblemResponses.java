package dev.saga.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error statuses an operation can answer with, each an RFC 9457 {@code
 * application/problem+json} body; they are added to the operation's OpenAPI document.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ProblemResponses {

  /** HTTP status codes, e.g. {@code {400, 404}}. */
  int[] value();
}
