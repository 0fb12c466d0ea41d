#!/usr/bin/env bash
# Builds local stand-ins for the base images our Dockerfiles take as build arguments, for machines
# that cannot pull from a registry (see shared/docs/machine.md). Each stand-in is assembled from
# Debian's archive (mmdebstrap) and the npm registry, and tagged under localhost/standin/:
#
#   localhost/standin/debian:bookworm-slim          for DEBIAN_IMAGE (debian:bookworm-slim)
#   localhost/standin/node:24.21.0-bookworm-slim    for NODE_IMAGE   (node:24.21.0-bookworm-slim)
#   localhost/standin/eclipse-temurin:17-jre        for JRE_IMAGE    (eclipse-temurin:17-jre)
#
# The node stand-in mirrors the real image's layout: node + npm under /usr/local, user node (1000).
# The JRE stand-in carries Debian's OpenJDK 17 JRE at the Temurin path /opt/java/openjdk, with
# symlinks resolved so the directory can be copied into another image on its own.
#
# Cached by content: the inputs (this script, the Node binary, the versions below) hash to a key;
# an image whose label carries that key is reused, and the root-filesystem tarballs are kept in
# $STANDIN_CACHE_DIR/<key>/ (default .cache/standin) so a CI cache of that folder skips mmdebstrap.
# Nothing requires the cache: a cold run builds everything (about a minute).
#
# Usage: images/standin/build-standin-bases.sh [--print-build-args]
#   --print-build-args   print the --build-arg flags that select the stand-ins, one per line
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
suite=bookworm
node_version=24.21.0
npm_version=11.19.1
node_bin="$root/scripts/toolchain/node_modules/node/bin/node"
buildah=(buildah --storage-driver "${STORAGE_DRIVER:-vfs}")

debian_ref="localhost/standin/debian:$suite-slim"
node_ref="localhost/standin/node:$node_version-$suite-slim"
jre_ref="localhost/standin/eclipse-temurin:17-jre"

if [ "${1:-}" = "--print-build-args" ]; then
  printf '%s\n' "--build-arg=DEBIAN_IMAGE=$debian_ref" "--build-arg=NODE_IMAGE=$node_ref" "--build-arg=JRE_IMAGE=$jre_ref"
  exit 0
fi

if [ ! -x "$node_bin" ]; then
  echo "build-standin-bases: no Node binary at $node_bin; run scripts/bootstrap.sh first" >&2
  exit 1
fi
[ "$("$node_bin" --version)" = "v$node_version" ] || {
  echo "build-standin-bases: $node_bin is $("$node_bin" --version), expected v$node_version" >&2
  exit 1
}

key="$( { cat "${BASH_SOURCE[0]}"; echo "$suite $node_version $npm_version"; sha256sum "$node_bin"; } | sha256sum | cut -c1-16)"
cache="${STANDIN_CACHE_DIR:-$root/.cache/standin}/$key"
label=org.scrapegrid.standin.key

have_image() {
  [ "$("${buildah[@]}" inspect --type image --format "{{index .ImageAnnotations \"$label\"}}" "$1" 2>/dev/null || true)" = "$key" ]
}
if have_image "$debian_ref" && have_image "$node_ref" && have_image "$jre_ref"; then
  echo "build-standin-bases: stand-ins for key $key already present" >&2
  exit 0
fi

mkdir -p "$cache"
started=$SECONDS
# Like the official slim images: no manuals, docs or translations.
slim=(--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*')
pids=()
if [ ! -s "$cache/debian.tar" ]; then
  mmdebstrap --quiet --variant=minbase --mode=root "${slim[@]}" "$suite" "$cache/debian.tar.part" &&
    mv "$cache/debian.tar.part" "$cache/debian.tar" &
  pids+=($!)
fi
if [ ! -s "$cache/jre.tar" ]; then
  # The JRE's postinst needs /usr/share/man for its alternatives, so no slim options here; only
  # /opt/java/openjdk leaves this root filesystem.
  mmdebstrap --quiet --variant=minbase --mode=root --include=openjdk-17-jre-headless \
    --customize-hook='mkdir -p "$1/opt/java" && chroot "$1" cp -rL /usr/lib/jvm/java-17-openjdk-amd64 /opt/java/openjdk' \
    --customize-hook="tar -C \"\$1\" -cf '$cache/jre.tar.part' opt/java/openjdk" \
    "$suite" /dev/null && mv "$cache/jre.tar.part" "$cache/jre.tar" &
  pids+=($!)
fi
if [ ! -s "$cache/npm-$npm_version.tgz" ]; then
  (cd "$cache" && npm pack --silent "npm@$npm_version" >/dev/null) &
  pids+=($!)
fi
for pid in "${pids[@]}"; do wait "$pid"; done

commit() { # container ref
  "${buildah[@]}" config --annotation "$label=$key" --label "$label=$key" "$1"
  "${buildah[@]}" commit --quiet --rm "$1" "$2" >/dev/null
}

ctr=$("${buildah[@]}" from scratch)
"${buildah[@]}" add --quiet "$ctr" "$cache/debian.tar" /
"${buildah[@]}" config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
commit "$ctr" "$debian_ref"

ctr=$("${buildah[@]}" from "$debian_ref")
"${buildah[@]}" copy --quiet --chmod 0755 "$ctr" "$node_bin" /usr/local/bin/node
"${buildah[@]}" add --quiet "$ctr" "$cache/npm-$npm_version.tgz" /usr/local/lib/node_modules/
"${buildah[@]}" run --isolation chroot "$ctr" -- sh -euc '
  mv /usr/local/lib/node_modules/package /usr/local/lib/node_modules/npm
  ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
  ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
  groupadd --gid 1000 node
  useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
"${buildah[@]}" config --env NODE_VERSION="$node_version" --cmd node "$ctr"
commit "$ctr" "$node_ref"

ctr=$("${buildah[@]}" from "$debian_ref")
"${buildah[@]}" add --quiet "$ctr" "$cache/jre.tar" /
"${buildah[@]}" config --env JAVA_HOME=/opt/java/openjdk \
  --env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env LANG=C.UTF-8 --cmd jshell "$ctr"
commit "$ctr" "$jre_ref"

echo "build-standin-bases: built stand-ins for key $key in $((SECONDS - started)) s" >&2
