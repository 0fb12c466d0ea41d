#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, to try the overlays without a cloud:
#   bash scripts/cluster.sh up       builds it the first time (cached), starts it, prints
#                                     `export KUBECONFIG=…` (eval it, then kubectl apply -k …)
#   bash scripts/cluster.sh down     stops it and removes everything it made (not the demo's
#                                     database files: see images)
#   bash scripts/cluster.sh status
#   bash scripts/cluster.sh images   builds what is missing of the images the overlays run (cached;
#                                     the selenium and postgres ones are stand-ins built from Debian,
#                                     no registry can be pulled from) and imports them into the
#                                     running cluster's node; makes the directory of the demo's
#                                     PersistentVolume (/var/lib/scrapegrid-volumes)
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
  images)
    bash scripts/setup-system.sh >&2
    ;;
esac
exec node packages/local-cluster/src/main.ts "$@"
