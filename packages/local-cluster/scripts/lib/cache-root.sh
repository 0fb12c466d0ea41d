# shellcheck shell=bash
# The one place a script names the build cache: built binaries, images and Embulk live under it,
# outside git. SCRAPEGRID_CACHE moves it. TypeScript reads the same through cacheRoot()
# (packages/local-cluster/src/cache-root.ts). Source it, then use $scrapegrid_cache.
scrapegrid_cache="${SCRAPEGRID_CACHE:-/var/cache/scrapegrid}"
