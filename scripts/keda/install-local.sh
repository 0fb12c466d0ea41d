#!/usr/bin/env bash
# Installs real KEDA into the local cluster that `bash scripts/cluster.sh up` started: builds it
# once (packages/local-cluster/scripts/keda/build-images.sh, cached), then installs it the way the
# tests do (installKeda in packages/local-cluster): its two images imported into the node's
# containerd, the manifests applied server-side, and a wait until the external metrics API is
# served through the aggregation layer. Then `kubectl apply -k k8s/overlays/grid-keda`
# (or grid-keda-exporter) scales for real.
#   export KUBECONFIG=...   (what `scripts/cluster.sh up` printed)
#   bash scripts/keda/install-local.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
: "${KUBECONFIG:?set KUBECONFIG to the kubeconfig that bash scripts/cluster.sh up prints}"
. scripts/bootstrap.sh >&2
bash packages/local-cluster/scripts/keda/build-images.sh >/dev/null
exec node packages/local-cluster/src/main.ts keda-install
