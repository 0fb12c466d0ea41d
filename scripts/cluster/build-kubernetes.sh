#!/usr/bin/env bash
# Builds the local cluster's Kubernetes binaries (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubelet, kube-proxy, kubectl) and etcd from the Go modules pinned in build/go.mod,
# in one `go build` so the packages they share compile once. Output is cached outside git, keyed by
# the release: a second run with the binaries present returns at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(awk '($1 == "require" && $2 == "k8s.io/kubernetes") { print $3 } ($1 == "k8s.io/kubernetes" && $2 ~ /^v/) { print $2 }' "$here/build/go.mod")"
out="${SCRAPEGRID_CACHE:-/var/cache/scrapegrid}/kubernetes-${version}"
stamp="$out/bin/.complete"
if [[ -f "$stamp" ]]; then
  echo "$out/bin"
  exit 0
fi
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "build-kubernetes: no go on PATH: Go 1.26 comes with these machines at /usr/local/go/bin (Debian's golang is too old for this build)" >&2; exit 1; }
mkdir -p "$out/bin.tmp"
start=$SECONDS
(
  cd "$here/build"
  # CGO off: static binaries that need nothing from the host but the kernel.
  # The version every component reports (node info, /version, kubectl version), as the release build sets it.
  minor="${version#v1.}"; minor="${minor%%.*}"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out/bin.tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy \
    k8s.io/kubernetes/cmd/kubectl \
    ./cmd/etcd
)
rm -rf "$out/bin"
mv "$out/bin.tmp" "$out/bin"
echo "built in $((SECONDS - start))s" > "$stamp"
echo "build-kubernetes: ${version} built in $((SECONDS - start))s" >&2
echo "$out/bin"
