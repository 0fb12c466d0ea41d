#!/usr/bin/env bash
# Builds real KEDA (operator + metrics API server) at one pinned release from its Go module, and
# copies that same module version's config/ (CRDs, RBAC, APIService) beside the binaries.
# Output: ${SCRAPEGRID_CACHE:-/var/cache/scrapegrid}/keda-<version>/{bin,config}; a cache hit
# costs a stat. The module is built in its own directory, so its go.mod (its replace and exclude
# lines) and go.sum apply exactly as upstream's Makefile applies them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=version.sh
. "$here/version.sh"
cache="${SCRAPEGRID_CACHE:-/var/cache/scrapegrid}"
out="$cache/keda-$KEDA_VERSION"
if [ -x "$out/bin/keda" ] && [ -x "$out/bin/keda-adapter" ] && [ -f "$out/config/crd/kustomization.yaml" ]; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "build-keda: go is not on PATH (KEDA $KEDA_VERSION needs Go >= 1.26)" >&2; exit 1; }
mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.keda-$KEDA_VERSION.XXXXXX")"
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
src="$(go mod download -json "github.com/kedacore/keda/v2@$KEDA_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
[ -f "$src/go.mod" ] || { echo "build-keda: module github.com/kedacore/keda/v2@$KEDA_VERSION has no source dir (got '$src')" >&2; exit 1; }
echo "build-keda: building KEDA $KEDA_VERSION from $src (cold builds take long: every scaler's SDK is compiled)" >&2
mkdir -p "$tmp/bin"
# Both commands in one `go build`: the packages they share are compiled once. Same flags as
# upstream's Makefile (CGO off, version stamped by ldflags).
( cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly nice -n 15 go build -trimpath \
    -ldflags "-X=github.com/kedacore/keda/v2/version.GitCommit=$KEDA_VERSION -X=github.com/kedacore/keda/v2/version.Version=${KEDA_VERSION#v}" \
    -o "$tmp/bin/" ./cmd/operator ./cmd/adapter )
mv "$tmp/bin/operator" "$tmp/bin/keda"
mv "$tmp/bin/adapter" "$tmp/bin/keda-adapter"
cp -r "$src/config" "$tmp/config"
chmod -R u+w "$tmp/config"
echo "$KEDA_VERSION" > "$tmp/VERSION"
echo "build-keda: built in $(( $(date +%s) - start ))s" >&2
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "$out"
