#!/bin/sh
# The postgres stand-in's entrypoint (build-postgres-standin.sh): the official image's first-start
# behaviour that k8s/overlays/demo relies on, then postgres in the foreground as PID 1 (it stops
# cleanly on SIGTERM: smart shutdown, then the kubelet's grace period).
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
if [ "${1:-postgres}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "docker-entrypoint: POSTGRES_PASSWORD is not set; it is required on an empty PGDATA" >&2
    exit 1
  fi
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --pgdata="$PGDATA" --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >&2
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    pg_ctl --pgdata="$PGDATA" --wait --options="-c listen_addresses=''" start >&2
    psql --no-psqlrc --username="$user" --dbname=postgres --set=ON_ERROR_STOP=1 \
      --command="CREATE DATABASE \"$db\"" >&2
    pg_ctl --pgdata="$PGDATA" --wait --mode=fast stop >&2
  fi
  echo "docker-entrypoint: initialized $PGDATA (user $user, database $db)" >&2
fi
if [ "${1:-postgres}" = postgres ]; then
  [ $# -gt 0 ] && shift
  exec postgres -c listen_addresses='*' "$@"
fi
exec "$@"
