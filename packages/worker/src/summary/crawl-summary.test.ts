import { describe, expect, test } from 'vitest';
import { crawlSummary, MAX_TERMINATION_MESSAGE_BYTES } from './crawl-summary.ts';

describe('crawlSummary', () => {
  test('a shard of an Indexed Job: one JSON line with the shard, the counts and the exit code', () => {
    const line = crawlSummary({
      job: 'products',
      shard: { index: 2, count: 4 },
      records: 480,
      pagesOk: 24,
      pagesFailed: 0,
      exitCode: 0,
    });
    expect(line).toBe(
      '{"job":"products","shardIndex":2,"shardCount":4,"records":480,"pagesOk":24,"pagesFailed":0,"exitCode":0}',
    );
  });

  test('the whole crawl, failed: no shard fields, the reason last', () => {
    expect(
      crawlSummary({
        job: 'p',
        records: 3,
        pagesOk: 1,
        pagesFailed: 2,
        exitCode: 1,
        reason: 'too many failed pages',
      }),
    ).toBe(
      '{"job":"p","records":3,"pagesOk":1,"pagesFailed":2,"exitCode":1,"reason":"too many failed pages"}',
    );
  });

  test('a configuration error before the spec is read: counts 0, no job', () => {
    expect(crawlSummary({ records: 0, pagesOk: 0, pagesFailed: 0, exitCode: 2, reason: 'bad' })).toBe(
      '{"records":0,"pagesOk":0,"pagesFailed":0,"exitCode":2,"reason":"bad"}',
    );
  });

  test.each([
    ['ASCII', 'x'.repeat(10_000)],
    ['escaped quotes and newlines', '"\n'.repeat(5_000)],
    ['multi-byte characters', 'é€😀'.repeat(3_000)],
  ])(
    'a long reason (%s) is shortened with an ellipsis to fit 4096 bytes; the counts stay',
    (_kind, reason) => {
      const line = crawlSummary({
        job: 'products',
        shard: { index: 3, count: 4 },
        records: 7,
        pagesOk: 5,
        pagesFailed: 9,
        exitCode: 1,
        reason,
      });
      expect(MAX_TERMINATION_MESSAGE_BYTES).toBe(4096);
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(4096);
      expect(Buffer.byteLength(line)).toBeGreaterThan(4000);
      const parsed = JSON.parse(line);
      expect(parsed).toMatchObject({
        shardIndex: 3,
        shardCount: 4,
        records: 7,
        pagesOk: 5,
        pagesFailed: 9,
        exitCode: 1,
      });
      expect(parsed.reason.endsWith('…')).toBe(true);
      expect(reason.startsWith(parsed.reason.slice(0, -1))).toBe(true);
    },
  );

  test('a reason that fits is kept whole', () => {
    const reason = 'y'.repeat(3_000);
    expect(
      JSON.parse(crawlSummary({ records: 0, pagesOk: 0, pagesFailed: 0, exitCode: 1, reason })).reason,
    ).toBe(reason);
  });
});
