#!/usr/bin/env bash
# Builds KEDA's two images from the binaries scripts/keda/build.sh made, the way upstream's
# Dockerfile and Dockerfile.adapter lay them out (/keda, /keda-adapter, user 65532, the same
# entrypoints), on the project's stand-in Debian base (images/standin: nothing can be pulled
# here; upstream uses distroless/static, and the binaries are static either way). Writes them as
# docker-archive files into the KEDA cache for `ctr -n k8s.io images import`:
#   <cache>/keda-<version>/images/keda.tar                    localhost/kedacore/keda:<version>
#   <cache>/keda-<version>/images/keda-metrics-apiserver.tar  localhost/kedacore/keda-metrics-apiserver:<version>
# Prints the images directory. Rebuilt only when an archive is missing or older than its binary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=version.sh
. "$here/version.sh"
out="$("$here/build.sh")"
tag="${KEDA_VERSION#v}"
dir="$out/images"
mkdir -p "$dir"
buildah=(buildah --storage-driver "${STORAGE_DRIVER:-vfs}")
base="$("$root/images/standin/build-standin-bases.sh" --print-build-args | sed -n 's/^--build-arg=DEBIAN_IMAGE=//p')"

image() { # archive-name binary entrypoint-json
  local name="$1" bin="$2" entrypoint="$3" ref="localhost/kedacore/$1:$tag"
  if [ -s "$dir/$name.tar" ] && [ "$dir/$name.tar" -nt "$out/bin/$bin" ]; then return; fi
  "$root/images/standin/build-standin-bases.sh"
  local ctr
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
  rm -f "$dir/$name.tar"
  "${buildah[@]}" push --quiet "$ref" "docker-archive:$dir/$name.tar.part:$ref"
  mv "$dir/$name.tar.part" "$dir/$name.tar"
  echo "keda-images: built $ref" >&2
}
image keda keda '["/keda","--zap-log-level=info","--zap-encoder=console"]'
image keda-metrics-apiserver keda-adapter '["/keda-adapter","--secure-port=6443","--zap-log-level=info","--zap-encoder=console"]'
echo "$dir"
