import type { Shard } from './read-shard.ts';
import { ShardError } from './shard-error.ts';

/** The output mode of `type: pgcopy` that replaces one shard's rows (embulk/README.md). */
export const REPLACE_SHARD = 'replace_shard';

/**
 * The spec's Embulk `out:` for this run. Unsharded: as written. Sharded: `type: pgcopy` with
 * `mode: replace_shard` and `shard: <index>` added, so the load deletes this shard's earlier rows and
 * inserts its records in one transaction: a retried shard loads its records once, never another
 * shard's. Throws ShardError for an output that cannot do that (another type, mode insert or
 * replace, a `shard:` of the user's), and for replace_shard in a run that is not sharded.
 */
export function shardedEmbulkOut(
  out: Readonly<Record<string, unknown>>,
  shard: Shard | undefined,
): Record<string, unknown> {
  if (shard === undefined) {
    if (out.mode === REPLACE_SHARD)
      throw new ShardError(
        `embulk.out.mode ${REPLACE_SHARD} needs a sharded run: set JOB_COMPLETION_INDEX and WORKER_SHARDS (an Indexed Job)`,
      );
    return { ...out };
  }
  const problems: string[] = [];
  if (out.type !== 'pgcopy')
    problems.push(
      `embulk.out.type is ${String(out.type)}: a sharded run loads with type: pgcopy, whose mode ${REPLACE_SHARD} replaces only this shard's rows (another output would load a retried shard's records twice)`,
    );
  if (out.mode !== undefined && out.mode !== REPLACE_SHARD)
    problems.push(
      `embulk.out.mode is ${String(out.mode)}: a sharded run uses ${REPLACE_SHARD} (insert would load a retried shard's records twice, replace would drop the other shards' rows); leave mode out`,
    );
  if (out.shard !== undefined)
    problems.push('embulk.out.shard is set by the worker from JOB_COMPLETION_INDEX: leave it out');
  if (problems.length > 0) throw new ShardError(problems.join('\n'));
  return { ...out, mode: REPLACE_SHARD, shard: shard.index };
}
