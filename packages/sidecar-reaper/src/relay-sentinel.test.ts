import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSentinel } from '@scrapegrid/sentinel';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { relaySentinel } from './relay-sentinel.ts';

let dir: string;
let lines: Record<string, unknown>[];
const log = () => pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
const OOM = { exitCode: 137, reason: 'OOMKilled', via: 'watch' as const };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-sentinel-'));
  lines = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("an OOM-killed worker's end becomes a failed sentinel with its exit code, in a directory made for it", async () => {
  const path = join(dir, 'scrapegrid', 'worker-done.json');
  await relaySentinel(path, OOM, log());
  const sentinel = await readSentinel(path);
  expect(sentinel).toMatchObject({ version: 1, status: 'failed', exitCode: 137 });
  expect(sentinel?.reason).toContain('OOMKilled, exit 137');
  expect(lines.map((l) => l.msg)).toEqual(["wrote the sentinel on the worker's behalf"]);
});

test('a worker that exited 0 without its sentinel did not finish its job: the relayed sentinel says failed, exit 1', async () => {
  const path = join(dir, 'worker-done.json');
  await relaySentinel(path, { exitCode: 0, reason: 'Completed', via: 'list' }, log());
  expect(await readSentinel(path)).toMatchObject({ status: 'failed', exitCode: 1 });
});

test("the worker's own sentinel is never replaced", async () => {
  const path = join(dir, 'worker-done.json');
  const own = '{"version":1,"status":"succeeded","exitCode":0,"finishedAt":"2026-12-05T00:00:00.000Z"}\n';
  await writeFile(path, own);
  await relaySentinel(path, OOM, log());
  expect(await readFile(path, 'utf8')).toBe(own);
  expect(lines).toEqual([]);
});

test('a directory it may not write to: one warning, no throw', async () => {
  // A file where the directory should be: unwritable for root too.
  await writeFile(join(dir, 'not-a-dir'), '');
  const path = join(dir, 'not-a-dir', 'worker-done.json');
  await relaySentinel(path, OOM, log());
  expect(lines.map((l) => [l.level, l.msg])).toEqual([
    [
      40,
      "could not write the sentinel on the worker's behalf; a reaper without a pod watch will not see the worker's end",
    ],
  ]);
});
