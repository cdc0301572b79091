# syntax=docker/dockerfile:1
# One image recipe for all four services. Build a service's jar first (./mvnw -DskipTests package),
# then e.g. `docker build --build-arg SERVICE=order-service --build-arg PORT=8081 .`
# (docker-compose.yml does this for every service). The jar is extracted into Spring Boot's layers
# so that a code change rebuilds only the thin application layer (and the AOT cache above it).
# deploy-checks (ImageLayoutTests) lays every service out exactly as below, runs its AOT cache
# training step and starts it with this ENTRYPOINT, under compose's memory limit, against real
# Kafka and PostgreSQL: keep the extract command, the training step and the ENTRYPOINT in the
# forms it parses.

ARG JAVA_IMAGE=eclipse-temurin:25-jre

FROM ${JAVA_IMAGE} AS layers
ARG SERVICE
WORKDIR /build
COPY ${SERVICE}/target/${SERVICE}.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM ${JAVA_IMAGE}
ARG SERVICE
ARG PORT
LABEL org.opencontainers.image.title="${SERVICE}" \
      org.opencontainers.image.description="Order saga reference system: ${SERVICE}" \
      org.opencontainers.image.licenses="Apache-2.0"
# A fixed numeric non-root user, so Kubernetes can verify runAsNonRoot.
RUN groupadd --system --gid 10001 saga \
    && useradd --system --uid 10001 --gid saga --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin saga
WORKDIR /app
# Least to most often changed: third-party jars, the (empty without --launcher) loader, this
# project's snapshot modules, then the service itself.
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
# The JDK's AOT cache (JEP 483/514/515), trained the way Spring documents it: the service starts up
# to its context refresh (spring.context.exit=onRefresh) and exits, and the JVM writes the classes
# it loaded and linked. Nothing here has a database or a broker, so the training run migrates
# nothing, leaves Hibernate's dialect unprobed and creates no topics; it starts no listener, relay
# or web server either. The JVM options are the ENTRYPOINT's under the pods' limit (-XX:MaxRAM:
# the same collector and compressed pointers), or the JVM ignores the cache.
RUN java -XX:MaxRAM=768m -XX:MaxRAMPercentage=50.0 -XX:InitialRAMPercentage=12.5 \
    -XX:+ExitOnOutOfMemoryError \
    -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh \
    -Dspring.flyway.enabled=false -Dspring.jpa.hibernate.ddl-auto=none \
    -Dspring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false \
    -Dspring.jpa.properties.jakarta.persistence.database-product-name=PostgreSQL \
    -Dspring.kafka.admin.auto-create=false -jar app.jar
COPY --chmod=0555 docker/healthcheck.sh /usr/local/bin/healthcheck
USER 10001:10001
ENV SERVER_PORT=${PORT}
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/healthcheck"]
# The initial heap (an eighth of the limit) holds the cache's archived objects: with the JVM's
# default, a 64th, the Serial collector's first old generation is 8 MiB, and a cache whose archived
# heap is larger stops the JVM at its start ("archived heap objects cannot be loaded").
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-XX:MaxRAMPercentage=50.0", "-XX:InitialRAMPercentage=12.5", "-XX:+ExitOnOutOfMemoryError", "-jar", "app.jar"]
