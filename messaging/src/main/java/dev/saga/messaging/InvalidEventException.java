package dev.saga.messaging;

/**
 * A record that is not a valid event: not a CloudEvent, an unknown type, not JSON, or not valid
 * against its schema. It is never retried; it goes to the dead-letter topic.
 */
public class InvalidEventException extends RuntimeException {

  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
