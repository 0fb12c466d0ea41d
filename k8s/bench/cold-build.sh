#!/usr/bin/env bash
# Measures the cold build of what CI builds in the background (scripts/test.sh): the Kubernetes
# binaries + etcd, CoreDNS, kube-router, and KEDA (binaries + its two images), from the Go module
# proxy with an empty Go module cache, an empty Go build cache and an empty output cache (what a
# fresh CI machine does). Prints the seconds each build took. About 18 minutes on an idle 2-core
# machine (measured inside a cold CI run: Kubernetes + etcd 10.8 min, CoreDNS 1.0, KEDA 5.5), plus
# about 2 min for kube-router (124 s measured alone, empty Go build cache, modules downloaded).
# Cleans up its temporary caches.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d /var/tmp/scrapegrid-cold-build.XXXXXX)"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export GOMODCACHE="$tmp/mod" GOCACHE="$tmp/build" SCRAPEGRID_CACHE="$tmp/cache"
start=$SECONDS
bash "$root/packages/local-cluster/scripts/build-kubernetes.sh" >/dev/null
k8s=$((SECONDS - start))
start=$SECONDS
bash "$root/packages/local-cluster/scripts/build-coredns.sh" >/dev/null
coredns=$((SECONDS - start))
start=$SECONDS
bash "$root/packages/local-cluster/scripts/build-kube-router.sh" >/dev/null
kube_router=$((SECONDS - start))
start=$SECONDS
bash "$root/packages/local-cluster/scripts/keda/build-images.sh" >/dev/null
keda=$((SECONDS - start))
echo "cold build: kubernetes + etcd ${k8s} s, coredns ${coredns} s, kube-router ${kube_router} s, keda ${keda} s, total $((k8s + coredns + kube_router + keda)) s"
