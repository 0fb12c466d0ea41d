#!/usr/bin/env bash
# Prints the version a go.mod pins for a module: `require M v` on its own line, or `M v` inside a
# require block. The one reader of our go.mod pins (the build scripts and clusterBinaries() call it).
#   go-mod-version.sh path/to/go.mod k8s.io/kubernetes
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: go-mod-version.sh GO_MOD MODULE" >&2; exit 2; }
version="$(awk -v m="$2" '($1 == "require" && $2 == m) { print $3; exit } ($1 == m && $2 ~ /^v/) { print $2; exit }' "$1")"
[ -n "$version" ] || { echo "go-mod-version: $1 does not require $2" >&2; exit 1; }
echo "$version"
