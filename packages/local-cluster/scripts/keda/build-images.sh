#!/usr/bin/env bash
# Builds KEDA's two images from the binaries build.sh made, the way upstream's Dockerfile and
# Dockerfile.adapter lay them out (/keda, /keda-adapter, user 65532, the same entrypoints), on the
# project's stand-in Debian base (images/standin: nothing can be pulled here; upstream uses
# distroless/static, and the binaries are static either way). Writes them as OCI archives
# (../lib/export-image.sh) into the KEDA cache for LocalCluster.importImage:
#   <cache>/keda-<version>/images/keda.tar                    localhost/kedacore/keda:<version>
#   <cache>/keda-<version>/images/keda-metrics-apiserver.tar  localhost/kedacore/keda-metrics-apiserver:<version>
# The images directory is published whole (../lib/publish-cache.sh). Prints it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
. "$here/version.sh"
. "$here/../lib/publish-cache.sh"
out="$(bash "$here/build.sh")"
tag="${KEDA_VERSION#v}"
# Archives the script wrote before .complete existed were renamed into place whole: adopt them.
if [ ! -f "$out/images/.complete" ] && [ -s "$out/images/keda.tar" ] && [ -s "$out/images/keda-metrics-apiserver.tar" ]; then
  echo "published before .complete markers" >"$out/images/.complete"
fi

build() { # into DIR
  local into="$1" base
  "$root/images/standin/build-standin-bases.sh" >&2
  base="$("$root/images/standin/build-standin-bases.sh" --print-build-args | sed -n 's/^--build-arg=DEBIAN_IMAGE=//p')"
  image "$into" "$base" keda keda '["/keda","--zap-log-level=info","--zap-encoder=console"]'
  image "$into" "$base" keda-metrics-apiserver keda-adapter '["/keda-adapter","--secure-port=6443","--zap-log-level=info","--zap-encoder=console"]'
}

image() { # into base archive-name binary entrypoint-json
  local into="$1" base="$2" name="$3" bin="$4" entrypoint="$5" ref="localhost/kedacore/$3:$tag" ctr
  local buildah=(buildah --storage-driver "${STORAGE_DRIVER:-vfs}")
  ctr="$("${buildah[@]}" from --pull=never "$base")"
  "${buildah[@]}" copy --quiet --chmod 0755 "$ctr" "$out/bin/$bin" "/$bin"
  # The base's CMD cleared first: set after the entrypoint it would be passed to it.
  "${buildah[@]}" config --cmd '[]' "$ctr"
  "${buildah[@]}" config --user 65532:65532 --workingdir / --entrypoint "$entrypoint" \
    --label org.opencontainers.image.title="KEDA $name" \
    --label org.opencontainers.image.version="$tag" \
    --label org.opencontainers.image.description="KEDA $KEDA_VERSION built from its Go module on the scrapegrid stand-in Debian base (local use only)" \
    "$ctr"
  "${buildah[@]}" commit --quiet --rm "$ctr" "$ref" >/dev/null
  bash "$here/../lib/export-image.sh" "$ref" "$into/$name.tar" "$ref"
  echo "keda-images: built $ref" >&2
}
publish_cache "$out/images" build
