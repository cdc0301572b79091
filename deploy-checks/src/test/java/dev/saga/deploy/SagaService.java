package dev.saga.deploy;

import java.nio.file.Path;
import java.util.Locale;

/** The four deployable services, by their Maven module and artifact name. */
enum SagaService {
  ORDER("order-service"),
  INVENTORY("inventory-service"),
  PAYMENT("payment-service"),
  NOTIFICATION("notification-service");

  private final String id;

  SagaService(String id) {
    this.id = id;
  }

  /** Module, artifact, application, image, compose service, Deployment and KafkaUser name. */
  String id() {
    return id;
  }

  /** The executable jar its module builds before these checks run. */
  Path jar() {
    Path jar = Repository.path(id + "/target/" + id + ".jar");
    if (!java.nio.file.Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: build the services first (./mvnw verify builds them before this module)");
    }
    return jar;
  }

  /** Its database (and, in compose, its database user): the name with underscores. */
  String database() {
    return id.replace('-', '_').toLowerCase(Locale.ROOT);
  }

  static SagaService byId(String id) {
    for (SagaService service : values()) {
      if (service.id.equals(id)) {
        return service;
      }
    }
    throw new IllegalArgumentException("Not a service: " + id);
  }

  @Override
  public String toString() {
    return id;
  }
}
