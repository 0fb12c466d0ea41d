import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSentinel, writeSentinel } from '@scrapegrid/sentinel';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { waitForSentinel } from './wait-for-sentinel.ts';

const log = pino({ level: 'silent' });
let dir = '';
let abort: AbortController;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reaper-sentinel-'));
  abort = new AbortController();
});
afterEach(async () => {
  abort.abort();
  await rm(dir, { recursive: true, force: true });
});

// A slow poll, so only inotify (or the start-up check) can meet the 200 ms budget.
const wait = (path: string, pollIntervalMs = 5_000) =>
  waitForSentinel(path, { pollIntervalMs, signal: abort.signal, log });

describe('waitForSentinel', () => {
  test('acts on a sentinel that already exists at start (kubexit#8)', async () => {
    const path = join(dir, 'done.json');
    await writeSentinel(path, makeSentinel(1, 'embulk failed'));
    const seen = await wait(path);
    expect(seen).toMatchObject({
      via: 'startup',
      sentinel: { status: 'failed', exitCode: 1, reason: 'embulk failed' },
    });
  });

  // The poll is set to an hour: "via inotify" and the test's own timeout say it was inotify that
  // saw it, with no wall-clock bound to flake (the latency is measured in bench/).
  test('sees a sentinel written by rename, through inotify', async () => {
    const path = join(dir, 'done.json');
    const seen = wait(path, 3_600_000);
    await new Promise((r) => setTimeout(r, 100)); // let the watch arm
    await writeFile(join(dir, '.done.json.tmp'), JSON.stringify(makeSentinel(0)));
    await rename(join(dir, '.done.json.tmp'), path);
    const result = await seen;
    expect(result.via).toBe('inotify');
    expect(result.sentinel?.status).toBe('succeeded');
  });

  test('sees a sentinel whose directory does not exist yet, two levels down', async () => {
    const path = join(dir, 'shared', 'scrapegrid', 'done.json');
    const seen = wait(path, 3_600_000);
    await new Promise((r) => setTimeout(r, 100));
    await mkdir(join(dir, 'shared'));
    await new Promise((r) => setTimeout(r, 50));
    await writeSentinel(path, makeSentinel(0));
    const result = await seen;
    expect(result).toMatchObject({ via: 'inotify', sentinel: { exitCode: 0 } });
  });

  test('the poll finds a sentinel when no inotify event comes (the directory watch is lost)', async () => {
    const path = join(dir, 'sub', 'done.json');
    await mkdir(join(dir, 'sub'));
    const seen = wait(path, 200);
    await new Promise((r) => setTimeout(r, 100));
    // Removing and recreating the watched directory drops the inotify watch on the old inode.
    await rm(join(dir, 'sub'), { recursive: true });
    await mkdir(join(dir, 'sub'));
    await writeSentinel(path, makeSentinel(0));
    const result = await seen;
    expect(result).toMatchObject({ via: 'poll', sentinel: { exitCode: 0 } });
  });

  test('a malformed sentinel still means the worker is done, with the problem reported', async () => {
    const path = join(dir, 'done.json');
    await writeFile(path, '{"status":"done"}');
    const result = await wait(path);
    expect(result.sentinel).toBeUndefined();
    expect(result.problem).toMatch(/version/);
  });

  test('never resolves once aborted', async () => {
    const path = join(dir, 'done.json');
    const seen = wait(path, 50);
    abort.abort();
    await writeSentinel(path, makeSentinel(0));
    const outcome = await Promise.race([
      seen.then(() => 'resolved'),
      new Promise((r) => setTimeout(r, 300, 'pending')),
    ]);
    expect(outcome).toBe('pending');
  });
});
