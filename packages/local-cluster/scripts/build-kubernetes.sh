#!/usr/bin/env bash
# Builds the local cluster's Kubernetes binaries (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubelet, kube-proxy, kubectl) and etcd from the Go modules pinned in
# kubernetes/go.mod, in one `go build` so the packages they share compile once. Output is cached
# outside git, keyed by the release: <cache>/kubernetes-<version>/bin, published whole
# (lib/publish-cache.sh: builds take turns, a second run finds the first's and returns at once).
# Prints the bin directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib/cache-root.sh"
. "$here/lib/publish-cache.sh"
version="$(bash "$here/lib/go-mod-version.sh" "$here/kubernetes/go.mod" k8s.io/kubernetes)"

build() { # into DIR
  local into="$1"
  export PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || { echo "build-kubernetes: no go on PATH: Go 1.26 comes with these machines at /usr/local/go/bin (Debian's golang is too old for this build)" >&2; return 1; }
  cd "$here/kubernetes"
  # CGO off: static binaries that need nothing from the host but the kernel.
  # The version every component reports (node info, /version, kubectl version), as the release build sets it.
  local minor="${version#v1.}" ldflags="-s -w" pkg
  minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$into/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy \
    k8s.io/kubernetes/cmd/kubectl \
    ./cmd/etcd
  echo "build-kubernetes: ${version} built" >&2
}
publish_cache "$scrapegrid_cache/kubernetes-${version}/bin" build
