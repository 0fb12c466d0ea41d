import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { readSentinel } from './read-sentinel.ts';
import { makeSentinel, parseSentinel } from './sentinel.ts';
import { writeSentinel, writeSentinelSync } from './write-sentinel.ts';

describe('makeSentinel', () => {
  test.each([
    [0, 'succeeded'],
    [1, 'failed'],
    [2, 'failed'],
  ] as const)('exit code %i is %s', (exitCode, status) => {
    expect(makeSentinel(exitCode, undefined, new Date('2026-11-22T00:00:00Z'))).toEqual({
      version: 1,
      status,
      exitCode,
      finishedAt: '2026-11-22T00:00:00.000Z',
    });
  });
});

describe('parseSentinel rejects what a reaper must not trust', () => {
  const ok = { version: 1, status: 'failed', exitCode: 1, finishedAt: '2026-11-22T00:00:00Z' };
  test.each([
    ['not json', '{', 'not JSON'],
    ['an array', '[]', 'version'],
    ['another version', JSON.stringify({ ...ok, version: 2 }), 'version 2'],
    ['an unknown status', JSON.stringify({ ...ok, status: 'done' }), 'status'],
    ['a fractional exit code', JSON.stringify({ ...ok, exitCode: 1.5 }), 'exitCode'],
    ['status and code disagreeing', JSON.stringify({ ...ok, exitCode: 0 }), 'disagree'],
    ['a bad time', JSON.stringify({ ...ok, finishedAt: 'yesterday' }), 'finishedAt'],
    ['a non-string reason', JSON.stringify({ ...ok, reason: 3 }), 'reason'],
  ])('%s', (_, text, message) => {
    expect(() => parseSentinel(text)).toThrowError(
      expect.objectContaining({ code: 'SENTINEL_INVALID', message: expect.stringContaining(message) }),
    );
  });
});

describe('writeSentinel / readSentinel', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('creates missing directories, round-trips, and leaves no temporary file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sentinel-'));
    const path = join(dir, 'nested', 'done.json');
    expect(await readSentinel(path)).toBeUndefined();
    const sentinel = makeSentinel(1, 'embulk exited 1');
    await writeSentinel(path, sentinel);
    expect(await readSentinel(path)).toEqual(sentinel);
    expect(await readdir(join(dir, 'nested'))).toEqual(['done.json']);
    expect((await readFile(path, 'utf8')).endsWith('\n')).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });

  test('the synchronous writer writes the same file, over an older one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sentinel-'));
    const path = join(dir, 'nested', 'done.json');
    await writeSentinel(path, makeSentinel(0));
    const sentinel = makeSentinel(1, 'SIGTERM received twice: stopped at once');
    writeSentinelSync(path, sentinel);
    expect(await readSentinel(path)).toEqual(sentinel);
    expect(await readdir(join(dir, 'nested'))).toEqual(['done.json']);
  });
});
