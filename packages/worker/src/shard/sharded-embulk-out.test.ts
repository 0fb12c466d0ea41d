import { describe, expect, test } from 'vitest';
import { ShardError } from './shard-error.ts';
import { shardedEmbulkOut } from './sharded-embulk-out.ts';

const OUT = { type: 'pgcopy', host: 'db', table: 'products' };

describe('shardedEmbulkOut', () => {
  test('a shard loads with mode replace_shard and its index; the spec is not changed', () => {
    expect(shardedEmbulkOut(OUT, { index: 3, count: 4 })).toEqual({
      type: 'pgcopy',
      host: 'db',
      table: 'products',
      mode: 'replace_shard',
      shard: 3,
    });
    expect(shardedEmbulkOut({ ...OUT, mode: 'replace_shard' }, { index: 0, count: 2 })).toEqual({
      ...OUT,
      mode: 'replace_shard',
      shard: 0,
    });
    expect(OUT).toEqual({ type: 'pgcopy', host: 'db', table: 'products' });
  });

  test('no shard: the output as written', () => {
    expect(shardedEmbulkOut({ ...OUT, mode: 'insert' }, undefined)).toEqual({ ...OUT, mode: 'insert' });
  });

  test.each([
    [
      { type: 'file', path_prefix: '/x' },
      { index: 0, count: 2 },
      "embulk.out.type is file: a sharded run loads with type: pgcopy, whose mode replace_shard replaces only this shard's rows (another output would load a retried shard's records twice)",
    ],
    [
      { ...OUT, mode: 'insert' },
      { index: 0, count: 2 },
      "embulk.out.mode is insert: a sharded run uses replace_shard (insert would load a retried shard's records twice, replace would drop the other shards' rows); leave mode out",
    ],
    [
      { ...OUT, mode: 'replace', shard: 1 },
      { index: 0, count: 2 },
      "embulk.out.mode is replace: a sharded run uses replace_shard (insert would load a retried shard's records twice, replace would drop the other shards' rows); leave mode out\nembulk.out.shard is set by the worker from JOB_COMPLETION_INDEX: leave it out",
    ],
    [
      { ...OUT, mode: 'replace_shard' },
      undefined,
      'embulk.out.mode replace_shard needs a sharded run: set JOB_COMPLETION_INDEX and WORKER_SHARDS (an Indexed Job)',
    ],
  ])('%j with shard %j is a ShardError', (out, shard, message) => {
    expect(() => shardedEmbulkOut(out, shard)).toThrow(new ShardError(message));
    expect(() => shardedEmbulkOut(out, shard)).toThrow(expect.objectContaining({ code: 'SHARD_INVALID' }));
  });
});
