import { mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { InstallError, installExecutable } from './install-executable.ts';

describe('installExecutable', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'install-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('copies the executable (mode 755) and links each alias to it, relative', async () => {
    const source = join(dir, 'built');
    await writeFile(source, 'binary bytes');
    const target = join(dir, 'volume', 'bin');
    const paths = await installExecutable(target, 'pod-tools', ['drain-hook', 'sidecar-reaper'], source);
    expect(paths).toEqual([
      join(target, 'pod-tools'),
      join(target, 'drain-hook'),
      join(target, 'sidecar-reaper'),
    ]);
    expect(await readFile(join(target, 'pod-tools'), 'utf8')).toBe('binary bytes');
    expect((await stat(join(target, 'pod-tools'))).mode & 0o777).toBe(0o755);
    expect(await readlink(join(target, 'drain-hook'))).toBe('pod-tools');
    expect(await readFile(join(target, 'sidecar-reaper'), 'utf8')).toBe('binary bytes');
  });

  test('installing twice replaces both, leaving no temporary file', async () => {
    const source = join(dir, 'built');
    await writeFile(source, 'v1');
    await installExecutable(join(dir, 'bin'), 'tool', ['alias'], source);
    await writeFile(source, 'v2');
    await installExecutable(join(dir, 'bin'), 'tool', ['alias'], source);
    expect(await readFile(join(dir, 'bin', 'alias'), 'utf8')).toBe('v2');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(dir, 'bin'))).sort()).toEqual(['alias', 'tool']);
  });

  test('a missing source is an InstallError with a code', async () => {
    await expect(installExecutable(join(dir, 'bin'), 'tool', [], join(dir, 'missing'))).rejects.toMatchObject(
      {
        code: 'INSTALL_FAILED',
        constructor: InstallError,
      },
    );
  });

  test('from source (not a single executable) it refuses with a ConfigError', async () => {
    await expect(installExecutable(join(dir, 'bin'), 'tool')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
