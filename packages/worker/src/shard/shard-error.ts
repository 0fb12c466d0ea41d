import { ConfigError } from '@scrapegrid/program-kit';

/**
 * The shard settings are wrong (JOB_COMPLETION_INDEX, WORKER_SHARDS, or an Embulk output that cannot
 * load one shard's records exactly once). A ConfigError: the worker exits 2, before any page is read.
 */
export class ShardError extends ConfigError {
  override readonly code = 'SHARD_INVALID';
  override readonly name = 'ShardError';
}
