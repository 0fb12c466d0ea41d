#!/usr/bin/env bash
# Prints KEDA's install manifests (scripts/keda/deploy over the built module's config/minimal) on
# stdout. Needs scripts/keda/build.sh to have run (it says where the build is).
#   scripts/keda/render.sh | kubectl apply --server-side -f -
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=version.sh
. "$here/version.sh"
out="${SCRAPEGRID_CACHE:-/var/cache/scrapegrid}/keda-$KEDA_VERSION"
[ -f "$out/config/minimal/kustomization.yaml" ] || {
  echo "keda-render: no KEDA $KEDA_VERSION build in $out; run scripts/keda/build.sh" >&2
  exit 1
}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r "$out/config" "$tmp/config"
cp -r "$here/deploy" "$tmp/deploy"
sed -i "s/KEDA_IMAGE_TAG/${KEDA_VERSION#v}/" "$tmp/deploy/kustomization.yaml"
kubectl kustomize "$tmp/deploy"
