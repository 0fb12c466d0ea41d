/**
 * The build cache's root: the local cluster's binaries and images, KEDA's build and Embulk live
 * under it, outside git. SCRAPEGRID_CACHE moves it. The one reader in TypeScript; the scripts
 * source scripts/lib/cache-root.sh, which says the same.
 */
export function cacheRoot(): string {
  return process.env.SCRAPEGRID_CACHE ?? '/var/cache/scrapegrid';
}
