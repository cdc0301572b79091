package dev.saga.messaging;

import org.springframework.boot.health.contributor.Status;

/**
 * The status of a health indicator in the {@code quiet} group while its work is in progress. {@code
 * /actuator/health/quiet} answers 200 when nothing is left to publish, consume or send, and 503
 * with the details while something is; the overall health ranks it below {@code UP}.
 */
public final class QuietState {

  public static final Status BUSY = new Status("BUSY", "Work is in progress");

  private QuietState() {}
}
