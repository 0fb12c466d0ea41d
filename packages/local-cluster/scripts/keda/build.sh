#!/usr/bin/env bash
# Builds real KEDA (operator + metrics API server) at one pinned release (version.sh) from its Go
# module, and copies that same module version's config/ (CRDs, RBAC, APIService) beside the
# binaries: <cache>/keda-<version>/{bin,config,VERSION}, published whole (../lib/publish-cache.sh);
# a cache hit costs a stat. The module is built in its own directory, so its go.mod (its replace
# and exclude lines) and go.sum apply exactly as upstream's Makefile applies them. Prints the
# directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/version.sh"
. "$here/../lib/cache-root.sh"
. "$here/../lib/publish-cache.sh"
out="$scrapegrid_cache/keda-$KEDA_VERSION"
# A build published by the script before .complete existed was renamed into place whole: adopt it.
if [ ! -f "$out/.complete" ] && [ -f "$out/VERSION" ] && [ -x "$out/bin/keda" ] && [ -x "$out/bin/keda-adapter" ]; then
  echo "published before .complete markers" >"$out/.complete"
fi

build() { # into DIR
  local into="$1" src
  command -v go >/dev/null || { echo "build-keda: go is not on PATH (KEDA $KEDA_VERSION needs Go >= 1.26)" >&2; return 1; }
  src="$(go mod download -json "github.com/kedacore/keda/v2@$KEDA_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -f "$src/go.mod" ] || { echo "build-keda: module github.com/kedacore/keda/v2@$KEDA_VERSION has no source dir (got '$src')" >&2; return 1; }
  echo "build-keda: building KEDA $KEDA_VERSION from $src (cold builds take long: every scaler's SDK is compiled)" >&2
  mkdir -p "$into/bin"
  # Both commands in one `go build`: the packages they share are compiled once. Same flags as
  # upstream's Makefile (CGO off, version stamped by ldflags).
  ( cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly nice -n 15 go build -trimpath \
      -ldflags "-X=github.com/kedacore/keda/v2/version.GitCommit=$KEDA_VERSION -X=github.com/kedacore/keda/v2/version.Version=${KEDA_VERSION#v}" \
      -o "$into/bin/" ./cmd/operator ./cmd/adapter )
  mv "$into/bin/operator" "$into/bin/keda"
  mv "$into/bin/adapter" "$into/bin/keda-adapter"
  cp -r "$src/config" "$into/config"
  chmod -R u+w "$into/config"
  echo "$KEDA_VERSION" >"$into/VERSION"
}
publish_cache "$out" build
