#!/usr/bin/env bash
# Builds kube-router from its Go module (kube-router/go.mod) for the local cluster's NetworkPolicy
# enforcement: the cluster runs only its firewall controller (iptables + ipset), like k3s does.
# The reference implementation (sigs.k8s.io/kube-network-policies) needs the nftables `queue`
# statement, which these machines' kernel lacks (CONFIG_NFT_QUEUE unset). Cached outside git by
# version in <cache>/kube-router-<version>/bin, published whole (lib/publish-cache.sh); a cache hit
# returns at once. Prints the bin directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib/cache-root.sh"
. "$here/lib/publish-cache.sh"
module=github.com/cloudnativelabs/kube-router/v2
version="$(bash "$here/lib/go-mod-version.sh" "$here/kube-router/go.mod" "$module")"

build() { # into DIR
  export PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || { echo "build-kube-router: no go on PATH: Go 1.26 comes with these machines at /usr/local/go/bin (Debian's golang is too old for this build)" >&2; return 1; }
  cd "$here/kube-router"
  # CGO off: a static binary; the version it logs at start, as its release build sets it.
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X $module/pkg/version.Version=$version" \
    -o "$1/kube-router" "$module/cmd/kube-router"
  echo "build-kube-router: ${version} built" >&2
}
publish_cache "$scrapegrid_cache/kube-router-${version}/bin" build
