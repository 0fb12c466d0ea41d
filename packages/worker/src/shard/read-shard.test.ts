import { ConfigError } from '@scrapegrid/program-kit';
import { describe, expect, test } from 'vitest';
import { readShard } from './read-shard.ts';
import { ShardError } from './shard-error.ts';

describe('readShard', () => {
  test('neither variable (or both blank): no shard, the whole crawl', () => {
    expect(readShard({})).toBeUndefined();
    expect(readShard({ JOB_COMPLETION_INDEX: ' ', WORKER_SHARDS: '' })).toBeUndefined();
  });

  test('the index Kubernetes sets and the count the manifest sets; frozen', () => {
    const shard = readShard({ JOB_COMPLETION_INDEX: '2', WORKER_SHARDS: '4' });
    expect(shard).toEqual({ index: 2, count: 4 });
    expect(Object.isFrozen(shard)).toBe(true);
    expect(readShard({ JOB_COMPLETION_INDEX: '0', WORKER_SHARDS: '1' })).toEqual({ index: 0, count: 1 });
    expect(readShard({ JOB_COMPLETION_INDEX: ' 9999 ', WORKER_SHARDS: '10000' })).toEqual({
      index: 9999,
      count: 10_000,
    });
  });

  test.each([
    [
      { JOB_COMPLETION_INDEX: '1' },
      "JOB_COMPLETION_INDEX is 1 but WORKER_SHARDS is not set: set it to the Job's completions",
    ],
    [
      { WORKER_SHARDS: '4' },
      'WORKER_SHARDS is 4 but JOB_COMPLETION_INDEX is not set: run the worker in a Job with completionMode: Indexed',
    ],
    [
      { JOB_COMPLETION_INDEX: '4', WORKER_SHARDS: '4' },
      'JOB_COMPLETION_INDEX 4 is not below WORKER_SHARDS 4 (indexes are 0..3)',
    ],
    [{ JOB_COMPLETION_INDEX: '0', WORKER_SHARDS: '0' }, 'WORKER_SHARDS must be from 1 to 10000, not 0'],
    [
      { JOB_COMPLETION_INDEX: '0', WORKER_SHARDS: '10001' },
      'WORKER_SHARDS must be from 1 to 10000, not 10001',
    ],
    [{ JOB_COMPLETION_INDEX: '0', WORKER_SHARDS: '2.5' }, 'WORKER_SHARDS must be a whole number, not "2.5"'],
    [
      { JOB_COMPLETION_INDEX: '-1', WORKER_SHARDS: '2' },
      'JOB_COMPLETION_INDEX must be a whole number, not "-1"',
    ],
    [
      { JOB_COMPLETION_INDEX: 'one', WORKER_SHARDS: '2' },
      'JOB_COMPLETION_INDEX must be a whole number, not "one"',
    ],
    [
      { JOB_COMPLETION_INDEX: 'x', WORKER_SHARDS: '1e3' },
      'WORKER_SHARDS must be a whole number, not "1e3"\nJOB_COMPLETION_INDEX must be a whole number, not "x"',
    ],
  ])('%j is a ShardError (SHARD_INVALID, a ConfigError: exit 2)', (env, message) => {
    let caught: unknown;
    try {
      readShard(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShardError);
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toMatchObject({ code: 'SHARD_INVALID', name: 'ShardError', message });
  });
});
