#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, to try the overlays without a cloud:
#   bash scripts/cluster.sh up       builds it the first time (cached), starts it, prints
#                                     `export KUBECONFIG=…` (eval it, then kubectl apply -k …)
#   bash scripts/cluster.sh down     stops it and removes everything it made
#   bash scripts/cluster.sh status
# Needs root (it runs containers, a bridge and iptables rules). See k8s/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh >&2
case "${1:-}" in
  up)
    bash scripts/setup-system.sh >&2
    bash scripts/cluster/build-kubernetes.sh >/dev/null
    bash scripts/cluster/build-coredns.sh >/dev/null
    ;;
esac
exec node scripts/cluster.ts "$@"
