package dev.saga.messaging;

/**
 * Thrown by an application service for a well-formed event that cannot happen in its current state
 * (an outcome for an unknown order, say). It is never retried; the record goes to the dead-letter
 * topic, with this message in its headers, and its partition keeps flowing.
 */
public class RejectedEventException extends RuntimeException {

  public RejectedEventException(String message) {
    super(message);
  }
}
