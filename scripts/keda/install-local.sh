#!/usr/bin/env bash
# Installs real KEDA (scripts/keda/build-images.sh builds it once, cached) into the local cluster
# that `bash scripts/cluster.sh up` started: imports its two images into the node's containerd,
# applies the manifests (scripts/keda/render.sh) server-side and waits until the external metrics
# API is served through the aggregation layer. Then `kubectl apply -k k8s/overlays/grid-keda`
# (or grid-keda-exporter) scales for real.
#   export KUBECONFIG=...   (what `scripts/cluster.sh up` printed)
#   bash scripts/keda/install-local.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${KUBECONFIG:?set KUBECONFIG to the kubeconfig that bash scripts/cluster.sh up prints}"
# The local cluster keeps its run in one directory: kubeconfig/admin.kubeconfig, containerd/containerd.sock.
run_dir="$(dirname "$(dirname "$KUBECONFIG")")"
socket="$run_dir/containerd/containerd.sock"
[ -S "$socket" ] || {
  echo "install-local: no containerd socket at $socket: is KUBECONFIG the local cluster's (scripts/cluster.sh up)?" >&2
  exit 1
}
# The cluster's own kubectl (same release as its API server).
kubectl="$(bash "$here/../cluster/build-kubernetes.sh")/kubectl"
images="$("$here/build-images.sh")"
for archive in "$images"/*.tar; do
  ctr --address "$socket" --namespace k8s.io images import "$archive" >/dev/null
done
"$here/render.sh" | "$kubectl" apply --server-side --force-conflicts -f - >/dev/null
"$kubectl" -n keda wait --for=condition=Available deployment/keda-operator deployment/keda-metrics-apiserver --timeout=300s
"$kubectl" wait --for=condition=Available apiservice/v1beta1.external.metrics.k8s.io --timeout=120s
echo "install-local: KEDA $(cat "$(dirname "$images")/VERSION") is running; external metrics are served" >&2
