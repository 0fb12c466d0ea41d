#!/usr/bin/env bash
# Builds the local cluster's DNS server: CoreDNS from its Go module with only the plugins our
# Corefile uses (coredns/main.go). Cached outside git by version in <cache>/coredns-<version>/bin,
# published whole (lib/publish-cache.sh); a cache hit returns at once. Prints the bin directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib/cache-root.sh"
. "$here/lib/publish-cache.sh"
version="$(bash "$here/lib/go-mod-version.sh" "$here/coredns/go.mod" github.com/coredns/coredns)"

build() { # into DIR
  export PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || { echo "build-coredns: no go on PATH: Go 1.26 comes with these machines at /usr/local/go/bin (Debian's golang is too old for this build)" >&2; return 1; }
  cd "$here/coredns"
  CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$1/coredns" .
  echo "build-coredns: ${version} built" >&2
}
publish_cache "$scrapegrid_cache/coredns-${version}/bin" build
