#!/usr/bin/env bash
# Measures the local cluster's cold build: the Kubernetes binaries + etcd and CoreDNS from the Go
# module proxy with an empty Go module cache, an empty Go build cache and an empty output cache
# (what a fresh CI machine does). Prints the seconds each build took. About half an hour on
# 2 cores. Cleans up its temporary caches.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d /var/tmp/scrapegrid-cold-build.XXXXXX)"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export GOMODCACHE="$tmp/mod" GOCACHE="$tmp/build" SCRAPEGRID_CACHE="$tmp/cache"
start=$SECONDS
bash "$root/scripts/cluster/build-kubernetes.sh" >/dev/null
k8s=$((SECONDS - start))
start=$SECONDS
bash "$root/scripts/cluster/build-coredns.sh" >/dev/null
coredns=$((SECONDS - start))
echo "cold build: kubernetes + etcd ${k8s} s, coredns ${coredns} s, total $((k8s + coredns)) s"
