#!/usr/bin/env bash
# Runs the whole order saga on this machine without Docker: a real PostgreSQL (one database per
# service), a real Kafka broker (KRaft), an SMTP server with a web UI, and the four services, each
# as its own OS process, supervised by dev-stack (see dev-stack/src/main/java/dev/saga/stack).
#
# Usage:
#   ./run-local.sh [--no-build] [up] [--keep-data] [--no-seed] [--port-offset N] [--no-aot-cache]
#       Builds the services and the launcher, starts everything, seeds demo data (products P-1..P-3,
#       accounts C-1 and C-2), prints the URLs, and supervises until Ctrl-C, which stops it all.
#       --keep-data  keep the previous run's data in .run-local/data (default: start fresh)
#       --no-seed    do not create the demo data
#       --port-offset N  every port plus N (e.g. 1000: services on 9081-9084), data in .run-local-N
#       --no-aot-cache  run the fat jars; by default the services run extracted, with the JDK's AOT
#                    cache, which the first run after a build writes as it stops (<service>/target/aot)
#   ./run-local.sh [--no-build] service <name>
#       Starts one part again, in the foreground, against the stack that is already running, e.g.
#       after it died: order-service, inventory-service, payment-service, notification-service,
#       or postgres, kafka, smtp.
#   --no-build  skip the Maven build (use the jars already in */target).
#
# Logs: .run-local/logs/<name>.log. Needs a JDK 21 or newer: JAVA_HOME if it is one, else the
# newest one found in /usr/lib/jvm.
set -euo pipefail

cd "$(dirname "$0")"
ROOT="$(pwd)"

source scripts/java-home.sh

build=true
args=()
for arg in "$@"; do
  if [[ "$arg" == "--no-build" ]]; then
    build=false
  else
    args+=("$arg")
  fi
done

case "${args[0]:-}" in
  help | -h | --help) build=false ;;
esac

services="order-service,inventory-service,payment-service,notification-service"
if [[ "${args[0]:-}" == "service" ]]; then
  case "${args[1]:-}" in
    order-service | inventory-service | payment-service | notification-service)
      modules="${args[1]}" ;;
    *)
      modules="" ;;
  esac
else
  modules="$services,dev-stack"
fi
if [[ ! -f dev-stack/target/classpath.txt || ! -d dev-stack/target/classes ]]; then
  # The launcher itself is needed whatever the command.
  if [[ "$build" == false ]]; then
    echo "run-local.sh: dev-stack is not built yet; run once without --no-build." >&2
    exit 1
  fi
  modules="${modules:+$modules,}dev-stack"
fi

if [[ "$build" == true && -n "$modules" ]]; then
  echo "[run-local] building $modules (skip with --no-build)"
  ./mvnw -q -DskipTests package -pl "$modules" -am
fi

# exec: the JVM replaces this shell, so Ctrl-C and SIGTERM reach the supervisor directly.
exec "$JAVA_HOME/bin/java" -Dsaga.repository.root="$ROOT" \
  -cp "dev-stack/target/classes:$(cat dev-stack/target/classpath.txt)" \
  dev.saga.stack.DevStack ${args[@]+"${args[@]}"}
