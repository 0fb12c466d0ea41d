#!/usr/bin/env bash
# Builds a STAND-IN for the official postgres image (no container registry here), tagged with the
# name and version k8s/overlays/demo uses: localhost/postgres:15-bookworm. Debian bookworm's own
# PostgreSQL 15 (mmdebstrap) with an entrypoint that does what the official image's does for the
# demo: on an empty $PGDATA it runs initdb with POSTGRES_USER / POSTGRES_PASSWORD, creates
# POSTGRES_DB, and allows password (scram-sha-256) logins over TCP; then it runs postgres in the
# foreground. Like the official image: user postgres 999:999, PGDATA=/var/lib/postgresql/data,
# port 5432, psql on PATH and trusted over the local socket. Not the official image: no
# /docker-entrypoint-initdb.d, no POSTGRES_INITDB_ARGS or *_FILE variables, and it never runs as
# root (the demo pod runs it as 999 under Pod Security `restricted`).
# Cached by content like build-standin-bases.sh: a rebuild with the same inputs returns at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
ref=localhost/postgres:15-bookworm
buildah=(buildah --storage-driver "${STORAGE_DRIVER:-vfs}")
key="$( { cat "${BASH_SOURCE[0]}" "$here/docker-entrypoint.sh"; } | sha256sum | cut -c1-16)"
packages=postgresql-15,postgresql-client-15
rootfs_key="$(echo "bookworm $packages postgres-999 v1" | sha256sum | cut -c1-16)"
cache="${STANDIN_CACHE_DIR:-$root/.cache/standin}/postgres-rootfs-$rootfs_key"
label=org.scrapegrid.standin.key
if [ "$("${buildah[@]}" inspect --type image --format "{{index .ImageAnnotations \"$label\"}}" "$ref" 2>/dev/null || true)" = "$key" ]; then
  echo "build-postgres-standin: present for key $key" >&2
  exit 0
fi
mkdir -p "$cache"
started=$SECONDS
if [ ! -s "$cache/rootfs.tar" ]; then
  # The package's own cluster (pg_createcluster main) is removed: the entrypoint makes one in $PGDATA.
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --include="$packages" \
    --customize-hook='chroot "$1" pg_dropcluster 15 main || true' \
    --customize-hook='chroot "$1" groupmod --gid 999 postgres' \
    --customize-hook='chroot "$1" usermod --uid 999 postgres' \
    --customize-hook='mkdir -p "$1/var/lib/postgresql/data" "$1/var/run/postgresql"' \
    --customize-hook='chroot "$1" chown -R 999:999 /var/lib/postgresql /var/run/postgresql' \
    bookworm "$cache/rootfs.tar.part"
  mv "$cache/rootfs.tar.part" "$cache/rootfs.tar"
fi
ctr=$("${buildah[@]}" from scratch)
"${buildah[@]}" add --quiet "$ctr" "$cache/rootfs.tar" /
"${buildah[@]}" copy --quiet --chmod 0755 "$ctr" "$here/docker-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh
"${buildah[@]}" config --user 999:999 --entrypoint '["/usr/local/bin/docker-entrypoint.sh"]' --cmd postgres \
  --env PGDATA=/var/lib/postgresql/data --env LANG=C.UTF-8 \
  --env PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --port 5432 --annotation "$label=$key" --label "$label=$key" \
  --label org.opencontainers.image.description="stand-in for postgres:15-bookworm (scrapegrid images/standin/postgres)" "$ctr"
"${buildah[@]}" commit --quiet --rm "$ctr" "$ref" >/dev/null
echo "build-postgres-standin: built $ref for key $key in $((SECONDS - started)) s" >&2
