#!/usr/bin/env bash
# Creates the system's topics and their dead-letter topics on the compose broker (auto-creation is
# off). deploy-checks compares these lines with dev.saga.events.Topics: one `topic` line per topic.
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP:-kafka:9092}"

topic() { # name partitions [compact]
  local config=()
  if [ "${3:-}" = compact ]; then config=(--config cleanup.policy=compact); fi
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor 1 "${config[@]}"
}

topic orders 6
topic orders.DLT 6
topic inventory 6
topic inventory.DLT 6
topic payments 6
topic payments.DLT 6
topic notifications 6
topic notifications.DLT 6
topic catalog 3 compact
topic catalog.DLT 3
