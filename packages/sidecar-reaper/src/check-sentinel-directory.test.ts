import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkSentinelDirectory } from './check-sentinel-directory.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reaper-dir-'));
  await writeFile(join(dir, 'a-file'), '');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('checkSentinelDirectory', () => {
  test('returns the directory when it exists', async () => {
    expect(await checkSentinelDirectory(join(dir, 'done.json'))).toBe(dir);
  });

  test('returns the nearest existing ancestor while the directory does not exist yet', async () => {
    expect(await checkSentinelDirectory(join(dir, 'x', 'y', 'done.json'))).toBe(dir);
  });

  test('rejects a path under a regular file', async () => {
    await expect(checkSentinelDirectory(join(dir, 'a-file', 'done.json'))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('is not a directory'),
    });
  });
});
