#!/usr/bin/env bash
# Builds the local cluster's DNS server: CoreDNS from its Go module with only the plugins our
# Corefile uses (coredns/main.go). Cached outside git by version; a cache hit returns at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(awk '($1 == "require" && $2 == "github.com/coredns/coredns") { print $3 } ($1 == "github.com/coredns/coredns" && $2 ~ /^v/) { print $2 }' "$here/coredns/go.mod")"
out="${SCRAPEGRID_CACHE:-/var/cache/scrapegrid}/coredns-${version}"
if [[ -f "$out/bin/.complete" ]]; then
  echo "$out/bin"
  exit 0
fi
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "build-coredns: no go on PATH: Go 1.26 comes with these machines at /usr/local/go/bin (Debian's golang is too old for this build)" >&2; exit 1; }
mkdir -p "$out/bin.tmp"
start=$SECONDS
(cd "$here/coredns" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$out/bin.tmp/coredns" .)
rm -rf "$out/bin"
mv "$out/bin.tmp" "$out/bin"
echo "built in $((SECONDS - start))s" > "$out/bin/.complete"
echo "build-coredns: ${version} built in $((SECONDS - start))s" >&2
echo "$out/bin"
