import { describe, expect, test } from 'vitest';
import type { JobSpec } from '../spec/job-spec.ts';
import { checkShardedSpec } from './check-sharded-spec.ts';

function spec(start: JobSpec['start'], out?: Record<string, unknown>): JobSpec {
  return { start, ...(out ? { embulk: { out, extra: {} } } : {}) } as unknown as JobSpec;
}

const THREE = spec({ kind: 'template', template: 'http://a/?p={page}', from: 1, to: 3 }, { type: 'pgcopy' });

describe('checkShardedSpec', () => {
  test('as many shards as distinct start URLs, or fewer, with pgcopy: fine', () => {
    expect(checkShardedSpec(THREE, { index: 2, count: 3 })).toBeUndefined();
    expect(checkShardedSpec(THREE, undefined)).toBeUndefined();
    expect(
      checkShardedSpec(spec({ kind: 'urls', urls: ['http://a/1', 'http://a/2'] }), { index: 1, count: 2 }),
    ).toBeUndefined();
  });

  test('more shards than distinct start URLs: SHARD_INVALID, some shard would scrape nothing', () => {
    const twice = spec({ kind: 'urls', urls: ['http://a/1', 'http://a/1', 'http://a/2'] });
    expect(() => checkShardedSpec(twice, { index: 0, count: 3 })).toThrow(
      expect.objectContaining({
        code: 'SHARD_INVALID',
        message:
          'WORKER_SHARDS is 3 but the spec has 2 distinct start URL(s): shard 2 and above would have nothing to scrape; use at most 2 shards',
      }),
    );
  });

  test('the Embulk output is checked for the shard', () => {
    const file = spec({ kind: 'urls', urls: ['http://a/1'] }, { type: 'file' });
    expect(() => checkShardedSpec(file, { index: 0, count: 1 })).toThrow(
      expect.objectContaining({
        code: 'SHARD_INVALID',
        message: expect.stringMatching(/^embulk\.out\.type is file: /),
      }),
    );
  });
});
