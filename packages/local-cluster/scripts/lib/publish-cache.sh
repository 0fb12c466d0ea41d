# shellcheck shell=bash
# publish_cache TARGET BUILD [ARGS...]: fills the cache directory TARGET once, whole.
#
# A finished TARGET holds a `.complete` file, and a reader trusts nothing else. Builds of the same
# TARGET take turns on a flock (TARGET.lock, beside it in the cache); one that waited finds the
# finished build and returns at once. BUILD runs with a fresh temporary directory beside TARGET as
# its last argument and fills it; `.complete` is written last, and the directory renamed into
# place, so a build that fails or is killed leaves no half-written TARGET (its temporary directory
# is removed, or left under a name no reader looks at). Prints TARGET on stdout; BUILD's output
# goes to stderr.
#   . packages/local-cluster/scripts/lib/publish-cache.sh
#   publish_cache "$scrapegrid_cache/coredns-v1/bin" build_coredns
publish_cache() (
  set -euo pipefail
  local target="$1"
  shift
  if [ -f "$target/.complete" ]; then
    echo "$target"
    return 0
  fi
  mkdir -p "$(dirname "$target")"
  exec 9>"$target.lock"
  flock 9
  if [ -f "$target/.complete" ]; then
    echo "$target"
    return 0
  fi
  local tmp start
  tmp="$(mktemp -d "$target.tmp.XXXXXX")"
  chmod 755 "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  start=$SECONDS
  "$@" "$tmp" >&2
  echo "built in $((SECONDS - start))s" >"$tmp/.complete"
  # A TARGET without .complete is a build that died before this lock existed: never read, replaced.
  rm -rf "$target"
  mv "$tmp" "$target"
  trap - EXIT
  echo "$target"
)
