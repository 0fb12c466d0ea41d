import { expandStartUrls } from '../scrape/expand-start-urls.ts';
import type { JobSpec } from '../spec/job-spec.ts';
import type { Shard } from './read-shard.ts';
import { ShardError } from './shard-error.ts';
import { shardedEmbulkOut } from './sharded-embulk-out.ts';

/**
 * Before any page is read: the spec can be split into `shard.count` shards (at least one distinct
 * start URL each, or a shard would scrape nothing and fail on limits.minItems), and its Embulk
 * output loads one shard exactly once (shardedEmbulkOut). Throws ShardError; the worker exits 2.
 */
export function checkShardedSpec(spec: JobSpec, shard: Shard | undefined): void {
  if (spec.embulk !== undefined) shardedEmbulkOut(spec.embulk.out, shard);
  if (shard === undefined) return;
  const distinct = new Set(expandStartUrls(spec.start)).size;
  if (distinct < shard.count)
    throw new ShardError(
      `WORKER_SHARDS is ${shard.count} but the spec has ${distinct} distinct start URL(s): shard ${distinct} and above would have nothing to scrape; use at most ${distinct} shards`,
    );
}
