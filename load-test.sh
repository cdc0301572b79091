#!/usr/bin/env bash
# The load generator and invariant checker (load-generator/src/main/java/dev/saga/load/Main.java)
# against the stack ./run-local.sh starts, or any other (see --help for the options).
#
#   ./load-test.sh --rate 50 --duration 60s --check        open loop at 50 orders/s, then check
#   ./load-test.sh --closed 64 --duration 60s              closed loop: 64 customers, as fast as it goes
#   ./load-test.sh check                                   the invariants of whatever ran before
#   ./load-test.sh --help
#
# Builds the generator first unless --no-build is given. Needs a JDK 21 or newer (as run-local.sh).
set -euo pipefail

cd "$(dirname "$0")"
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

if [[ "$build" == true || ! -f load-generator/target/classpath.txt ]]; then
  ./mvnw -q -DskipTests package -pl load-generator
fi

exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m \
  -cp "load-generator/target/classes:$(cat load-generator/target/classpath.txt)" \
  dev.saga.load.Main ${args[@]+"${args[@]}"}
