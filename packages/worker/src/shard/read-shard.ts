import { ShardError } from './shard-error.ts';

/** This worker's part of a crawl split across the pods of a Kubernetes Indexed Job. */
export interface Shard {
  /** 0-based: the pod's JOB_COMPLETION_INDEX. */
  index: number;
  /** How many shards split the crawl: the Job's `completions`. */
  count: number;
}

/** The most shards a crawl is split into: the Indexed Job limit on completions is far above any use. */
export const MAX_SHARDS = 10_000;

/**
 * The shard from the environment: JOB_COMPLETION_INDEX (Kubernetes sets it in every pod of an
 * Indexed Job) and WORKER_SHARDS (the Job's `completions`, which Kubernetes does not put in the pod's
 * environment, so the manifest sets it). Neither: undefined, the worker scrapes everything. One
 * without the other, a value that is not a whole number, fewer than 1 shard or an index outside
 * 0..shards-1: a ShardError naming every problem, since a pod that guessed would load records
 * twice or leave a share out.
 */
export function readShard(env: Readonly<Record<string, string | undefined>>): Shard | undefined {
  const rawIndex = _blankToUndefined(env.JOB_COMPLETION_INDEX);
  const rawCount = _blankToUndefined(env.WORKER_SHARDS);
  if (rawIndex === undefined && rawCount === undefined) return undefined;
  const problems: string[] = [];
  if (rawCount === undefined)
    problems.push(
      `JOB_COMPLETION_INDEX is ${rawIndex} but WORKER_SHARDS is not set: set it to the Job's completions`,
    );
  if (rawIndex === undefined)
    problems.push(
      `WORKER_SHARDS is ${rawCount} but JOB_COMPLETION_INDEX is not set: run the worker in a Job with completionMode: Indexed`,
    );
  const count = rawCount === undefined ? undefined : _wholeNumber('WORKER_SHARDS', rawCount, problems);
  const index = rawIndex === undefined ? undefined : _wholeNumber('JOB_COMPLETION_INDEX', rawIndex, problems);
  if (count !== undefined && (count < 1 || count > MAX_SHARDS))
    problems.push(`WORKER_SHARDS must be from 1 to ${MAX_SHARDS}, not ${count}`);
  else if (count !== undefined && index !== undefined && index >= count)
    problems.push(
      `JOB_COMPLETION_INDEX ${index} is not below WORKER_SHARDS ${count} (indexes are 0..${count - 1})`,
    );
  if (problems.length > 0) throw new ShardError(problems.join('\n'));
  return Object.freeze({ index: index!, count: count! });
}

// --- internal ---

function _blankToUndefined(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function _wholeNumber(name: string, raw: string, problems: string[]): number | undefined {
  if (!/^\d{1,9}$/.test(raw)) {
    problems.push(`${name} must be a whole number, not "${raw}"`);
    return undefined;
  }
  return Number(raw);
}
