import type { Shard } from './read-shard.ts';

/**
 * This shard's start URLs: of the distinct URLs, in the spec's order (ranges already expanded), the
 * ones at positions p with p % count === index. Position, not a hash of the URL: every pod and every
 * retry reads the same spec, so the positions are as stable as a hash, and the shares differ by at
 * most one URL where hashing a few hundred pages leaves some shards far busier than others. A URL
 * listed twice counts once, at its first place, so no two shards both scrape it. No shard: every URL.
 */
export function shardStartUrls(urls: readonly string[], shard: Shard | undefined): string[] {
  const distinct = [...new Set(urls)];
  if (shard === undefined) return distinct;
  return distinct.filter((_, position) => position % shard.count === shard.index);
}
