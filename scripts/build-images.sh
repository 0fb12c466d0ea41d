#!/usr/bin/env bash
# Builds the scrapegrid container images from images/<name>/Dockerfile with the stages they all
# share (images/common/build.Dockerfile) put in (build context: the repo root), tags each as
# scrapegrid/<name>:<version> and scrapegrid/<name>:<version>-<revision>, labels each with them
# (org.opencontainers.image.{version,revision,source}), and pushes them when asked. Uses docker
# buildx when a Docker engine answers, otherwise buildah.
#
#   scripts/build-images.sh [options] [image ...]        (default: every image under images/)
#
#   --tool buildah|docker     force a builder (default: docker buildx if usable, else buildah)
#   --registry PREFIX         name the images PREFIX/scrapegrid/<name> (e.g. your registry and org)
#   --push                    push both tags to --registry (required with --push)
#   --kustomize-images FILE   with --push: write FILE as a kustomize `images:` block naming each
#                             pushed image by the digest the registry has for it (name
#                             scrapegrid/<name>, newName PREFIX/scrapegrid/<name>, digest sha256:…)
#                             and print it; paste it into an overlay's kustomization.yaml. A
#                             relative FILE is taken from the directory the script was started in
#   --insecure-registry       with --push: plain HTTP, no TLS verification (buildah --tls-verify=false,
#                             buildx registry.insecure=true); for a throwaway local registry only
#   --version V               image version (default: the package's version, e.g. 0.1.0)
#   --revision R              git revision for tag and label (default: git rev-parse --short=12 HEAD)
#   --build-arg K=V           passed to every build (repeatable): base images, versions
#   --standin-bases           build the local stand-in base images (images/standin) and use them:
#                             for machines that cannot pull from a registry; never for publishing
#   --ca-bundle FILE          PEM bundle for a TLS-inspecting proxy between the build and npm,
#                             mounted as a build secret (default: $NODE_EXTRA_CA_CERTS, else the
#                             system bundle /etc/ssl/certs/ca-certificates.crt)
#   --platform P              docker buildx only (default linux/amd64: the SEA binaries are cut
#                             from the build's own Node, so one platform per build)
#   --jobs N                  build N images at once (default 1); output lines start with [name]
#
# buildah runs with --storage-driver ${STORAGE_DRIVER:-vfs} and --isolation chroot (what works on
# machines without a container engine). Prints one "built" line per image (stderr); stdout carries
# only the --kustomize-images block.
set -euo pipefail
started_in="$PWD"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tool=""
registry=""
push=false
kustomize_images=""
insecure=false
version=""
revision=""
standin=false
# A TLS-inspecting proxy between the build and npm is trusted through the host's bundle: the one
# NODE_EXTRA_CA_CERTS names, else the system bundle (which is where npm's cafile points here).
ca_bundle="${NODE_EXTRA_CA_CERTS:-}"
if [ -z "$ca_bundle" ] && [ -s /etc/ssl/certs/ca-certificates.crt ]; then ca_bundle=/etc/ssl/certs/ca-certificates.crt; fi
platform=linux/amd64
jobs=1
build_args=()
images=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
die() { echo "build-images: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --tool) tool="${2:?}"; shift 2 ;;
    --registry) registry="${2:?}"; shift 2 ;;
    --push) push=true; shift ;;
    --kustomize-images) kustomize_images="${2:?}"; shift 2 ;;
    --insecure-registry) insecure=true; shift ;;
    --version) version="${2:?}"; shift 2 ;;
    --revision) revision="${2:?}"; shift 2 ;;
    --build-arg) build_args+=("--build-arg=${2:?}"); shift 2 ;;
    --standin-bases) standin=true; shift ;;
    --ca-bundle) ca_bundle="${2:?}"; shift 2 ;;
    --platform) platform="${2:?}"; shift 2 ;;
    --jobs) jobs="${2:?}"; shift 2 ;;
    -h | --help) usage ;;
    --) shift ;; # what `pnpm run images -- …` passes along
    -*) die "unknown option $1 (see --help)" ;;
    *) images+=("$1"); shift ;;
  esac
done

if [ ${#images[@]} -eq 0 ]; then
  for dockerfile in images/*/Dockerfile; do images+=("$(basename "$(dirname "$dockerfile")")"); done
fi
for name in "${images[@]}"; do
  [ -f "images/$name/Dockerfile" ] || die "no images/$name/Dockerfile"
done
if $push && [ -z "$registry" ]; then die "--push needs --registry PREFIX"; fi
if $push && $standin; then die "--standin-bases images are for local proof only; refusing to push them"; fi
# The digests are the registry's (the manifest as pushed, layers recompressed on the way), which a
# build that pushes nothing does not have: the local storage's digest names a different manifest.
if [ -n "$kustomize_images" ] && ! $push; then die "--kustomize-images needs --push (it records the digests the registry has)"; fi
if $insecure && ! $push; then die "--insecure-registry only applies to --push"; fi
case "$kustomize_images" in "" | /*) ;; *) kustomize_images="$started_in/$kustomize_images" ;; esac

if [ -z "$tool" ]; then
  if command -v docker >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    tool=docker
  elif command -v buildah >/dev/null 2>&1; then
    tool=buildah
  else
    die "neither docker buildx (with a running engine) nor buildah found"
  fi
fi
case "$tool" in docker | buildah) ;; *) die "--tool must be docker or buildah" ;; esac

if [ -z "$revision" ]; then
  revision="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  # A build from uncommitted changes must not pass for the commit it started from.
  if [ "$revision" != unknown ] && [ -n "$(git status --porcelain -- images packages scripts pnpm-lock.yaml 2>/dev/null)" ]; then
    revision="$revision-dirty"
  fi
fi
source_url="$(git remote get-url origin 2>/dev/null | sed -E 's#^git@([^:]+):#https://\1/#; s#\.git$##' || true)"

secret=()
if [ -n "$ca_bundle" ]; then
  [ -s "$ca_bundle" ] || die "--ca-bundle $ca_bundle: no such file"
  secret=(--secret "id=ca-bundle,src=$ca_bundle")
fi

base_args=()
if $standin; then
  images/standin/build-standin-bases.sh
  mapfile -t base_args < <(images/standin/build-standin-bases.sh --print-build-args)
fi

# The worker image carries the Embulk that scripts/install-embulk.sh obtains (Maven Central, checked
# against embulk/embulk.lock, cached): staged inside the build context, outside git.
for name in "${images[@]}"; do
  if [ "$name" = worker ]; then
    embulk_dir="$(bash scripts/install-embulk.sh)"
    rm -rf images/worker/embulk-*/
    cp -a "$embulk_dir" "images/worker/$(basename "$embulk_dir")"
  fi
done

buildah_cmd=(buildah --storage-driver "${STORAGE_DRIVER:-vfs}")

# What each build reads: images/<name>/Dockerfile's header (comments, global ARGs up to its first
# FROM), the stages every image shares (images/common/build.Dockerfile), then the image's stages.
# The joined Dockerfiles, and what each pushing build reports back (<name>.digest, <name>.tag).
work="$(mktemp -d "${TMPDIR:-/tmp}/build-images.XXXXXX")"
trap 'rm -rf "$work"' EXIT
dockerfile_of() {
  local name="$1" file="$work/$1.Dockerfile"
  {
    sed '/^FROM /,$d' "images/$name/Dockerfile"
    cat images/common/build.Dockerfile
    sed -n '/^FROM /,$p' "images/$name/Dockerfile"
  } >"$file"
  echo "$file"
}
prefix="${registry:+$registry/}scrapegrid"

build_one() {
  local name="$1" image_version tags args started tag_flags output tag id dockerfile digest="" other tls i
  dockerfile="$(dockerfile_of "$name")"
  image_version="$version"
  if [ -z "$image_version" ]; then
    image_version="$(sed -nE 's/^  "version": "([^"]+)".*/\1/p' "packages/$name/package.json" 2>/dev/null | head -1)"
    image_version="${image_version:-0.1.0}"
  fi
  tags=("$prefix/$name:$image_version" "$prefix/$name:$image_version-$revision")
  args=("${base_args[@]}" "${build_args[@]}"
    "--label=org.opencontainers.image.version=$image_version"
    "--label=org.opencontainers.image.revision=$revision"
    "--label=org.opencontainers.image.source=$source_url")
  started=$SECONDS
  echo "build-images: building $name ($tool) as ${tags[*]}" >&2
  if [ "$tool" = docker ]; then
    tag_flags=()
    for tag in "${tags[@]}"; do tag_flags+=(--tag "$tag"); done
    output=(--load)
    if $push; then
      output=(--push)
      if $insecure; then output=(--output "type=registry,registry.insecure=true"); fi
      # containerimage.digest: the manifest (or index) the registry now holds under both tags.
      output+=(--metadata-file "$work/$name.metadata.json")
    fi
    docker buildx build --file "$dockerfile" --platform "$platform" "${args[@]}" "${secret[@]}" \
      "${tag_flags[@]}" "${output[@]}" .
    if $push; then
      digest="$(sed -nE 's/.*"containerimage\.digest": *"([^"]+)".*/\1/p' "$work/$name.metadata.json" | head -1)"
    fi
  else
    # --layers=false: each stage is committed as one layer, which keeps vfs storage small and fast.
    "${buildah_cmd[@]}" bud --isolation chroot --layers=false --file "$dockerfile" \
      "${args[@]}" "${secret[@]}" --tag "${tags[0]}" . >&2
    "${buildah_cmd[@]}" tag "${tags[0]}" "${tags[1]}"
    # A rebuild under the same tags leaves the old image untagged (and bud leaves an untagged copy
    # of the final stage); with vfs each is a full copy on disk. Drop this image's untagged ones;
    # rmi refuses any that a container still uses.
    for id in $("${buildah_cmd[@]}" images --quiet --filter dangling=true \
      --filter "label=org.opencontainers.image.title=scrapegrid $name"); do
      "${buildah_cmd[@]}" rmi "$id" >/dev/null 2>&1 || true
    done
    # Each build also leaves its revision tag (name:version-<commit>) on the image it replaced: a
    # machine that builds every commit would keep every one, a full copy each. Keep this build's.
    for tag in $("${buildah_cmd[@]}" images --format '{{.Name}}:{{.Tag}}' \
      --filter "label=org.opencontainers.image.title=scrapegrid $name"); do
      case "$tag" in
        "localhost/${tags[1]}" | "${tags[1]}" | "localhost/${tags[0]}" | "${tags[0]}") ;;
        *:"$image_version"-*) "${buildah_cmd[@]}" rmi "$tag" >/dev/null 2>&1 || true ;;
      esac
    done
    if $push; then
      tls=()
      if $insecure; then tls=(--tls-verify=false); fi
      # --digestfile: the digest of the manifest as pushed (layers compressed on the way), which is
      # what the registry answers for the tag; the local image's digest is of another manifest.
      for i in 1 0; do
        "${buildah_cmd[@]}" push --quiet "${tls[@]}" --digestfile "$work/$name.digest.$i" \
          "${tags[$i]}" "docker://${tags[$i]}"
      done
      digest="$(cat "$work/$name.digest.1")"
      other="$(cat "$work/$name.digest.0")"
      if [ "$other" != "$digest" ]; then
        echo "build-images: note: ${tags[0]} was pushed as $other, ${tags[1]} as $digest" >&2
      fi
    fi
  fi
  if $push; then
    if ! [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
      echo "build-images: no registry digest for ${tags[1]} (got '$digest')" >&2
      return 1
    fi
    echo "$digest" >"$work/$name.digest"
    echo "${tags[1]}" >"$work/$name.tag"
    echo "build-images: pushed ${tags[1]} as $digest" >&2
  fi
  echo "build-images: built $name ${tags[*]} in $((SECONDS - started)) s$($push && echo ', pushed')" >&2
}

# Builds run $jobs at a time; each one's output lines carry its name.
failed=()
pids=()
names=()
for name in "${images[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  (build_one "$name" 2>&1 | sed -u "s/^/[$name] /" >&2; exit "${PIPESTATUS[0]}") &
  pids+=($!)
  names+=("$name")
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("${names[$i]}")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "build-images: FAILED: ${failed[*]}" >&2
  exit 1
fi

# Written only when every image was pushed: a partial block would pin some images and silently
# leave the others at whatever the overlay named.
if [ -n "$kustomize_images" ]; then
  block="# scripts/build-images.sh --kustomize-images: the registry's digest of each pushed image"$'\n'"images:"
  for name in "${images[@]}"; do
    block+=$'\n'"  # $(cat "$work/$name.tag")"
    block+=$'\n'"  - name: scrapegrid/$name"
    block+=$'\n'"    newName: $prefix/$name"
    block+=$'\n'"    digest: $(cat "$work/$name.digest")"
  done
  printf '%s\n' "$block" >"$kustomize_images"
  printf '%s\n' "$block"
  echo "build-images: wrote the kustomize images: block to $kustomize_images" >&2
fi
