#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, to try the overlays without a cloud:
#   bash scripts/cluster.sh up       builds it the first time (cached), starts it, prints
#                                     `export KUBECONFIG=…` (eval it, then kubectl apply -k …)
#   bash scripts/cluster.sh down     stops it and removes everything it made
#   bash scripts/cluster.sh status
# Needs root (it runs containers, a bridge and iptables rules). The cluster, its builds and its
# command line live in packages/local-cluster; see k8s/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh >&2
case "${1:-}" in
  up)
    bash scripts/setup-system.sh >&2
    bash packages/local-cluster/scripts/build-kubernetes.sh >/dev/null
    bash packages/local-cluster/scripts/build-coredns.sh >/dev/null
    ;;
esac
exec node packages/local-cluster/src/main.ts "$@"
