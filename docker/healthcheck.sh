#!/usr/bin/env bash
# Container health check without curl or wget in the image: an HTTP/1.0 GET over bash's /dev/tcp.
# Healthy when the service answers 200 on its readiness group (or on the path given as $1).
set -euo pipefail
path="${1:-/actuator/health/readiness}"
exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT:?SERVER_PORT is not set}"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
IFS=' ' read -r -t 5 _ status _ <&3
[ "$status" = "200" ]
