package dev.saga.load;

/**
 * A broken invariant of the design (§6 of system.md).
 *
 * @param invariant 1 to 5, as numbered in the design
 * @param subject what it concerns: {@code order <id>}, {@code product <id>}, {@code customer <id>}
 */
public record Violation(int invariant, String subject, String message) {

  @Override
  public String toString() {
    return "VIOLATION of invariant " + invariant + " (" + subject + "): " + message;
  }
}
