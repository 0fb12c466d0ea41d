import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeCrawlSummary } from './write-crawl-summary.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-summary-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const RUN = {
  job: 'products',
  shard: { index: 1, count: 4 },
  records: 12,
  pagesOk: 3,
  pagesFailed: 0,
  exitCode: 0,
};

test('writes the summary line to the path (the termination message file)', async () => {
  const path = join(dir, 'termination-log');
  expect(writeCrawlSummary(path, RUN)).toBeUndefined();
  expect(await readFile(path, 'utf8')).toBe(
    '{"job":"products","shardIndex":1,"shardCount":4,"records":12,"pagesOk":3,"pagesFailed":0,"exitCode":0}',
  );
});

test('no path (a local run): nothing written, no error', () => {
  expect(writeCrawlSummary(undefined, RUN)).toBeUndefined();
});

test('a path that cannot be written: the error message is returned, not thrown', () => {
  expect(writeCrawlSummary(join(dir, 'missing', 'termination-log'), RUN)).toMatch(/ENOENT/);
});
