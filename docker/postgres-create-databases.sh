#!/usr/bin/env bash
# Runs once, when the compose PostgreSQL volume is first initialised: one database and one owning
# user per service, named in SERVICE_DATABASES ("name:password" pairs, space-separated).
set -euo pipefail
for entry in ${SERVICE_DATABASES:?}; do
  name="${entry%%:*}"
  password="${entry#*:}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v name="$name" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
