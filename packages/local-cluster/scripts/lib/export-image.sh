#!/usr/bin/env bash
# Writes an image from buildah's local storage as an OCI archive, named NAME inside, for
# `ctr images import` (LocalCluster.importImage). The one image export of the local cluster: its
# base images, the project's images for the cluster tests and KEDA's images all leave buildah here.
# The archive appears whole or not at all (written beside it, then renamed).
#   export-image.sh REF ARCHIVE NAME
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: export-image.sh REF ARCHIVE NAME" >&2; exit 2; }
ref="$1" archive="$2" name="$3"
mkdir -p "$(dirname "$archive")"
rm -f "$archive.part"
buildah --storage-driver "${STORAGE_DRIVER:-vfs}" push --quiet "$ref" "oci-archive:$archive.part:$name"
mv "$archive.part" "$archive"
