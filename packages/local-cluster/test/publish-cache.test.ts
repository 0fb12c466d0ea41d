import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from '@scrapegrid/process-group';
import { afterEach, describe, expect, test } from 'vitest';
import { packageScript } from '../src/package-scripts.ts';

const run = promisify(execFile);

/**
 * scripts/lib/publish-cache.sh, which build-kubernetes.sh, build-coredns.sh and KEDA's builds fill
 * the cache through, with a build that takes a second instead of eighteen minutes.
 */
describe('publish_cache', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A cache dir and a build script: BUILD_LOG gets a line per build run; FAIL=1 fails half-way. */
  const scene = () => {
    const root = mkdtempSync(join(tmpdir(), 'publish-cache-test-'));
    dirs.push(root);
    const script = join(root, 'fake-build.sh');
    writeFileSync(
      script,
      [
        'set -euo pipefail',
        `. ${JSON.stringify(packageScript('lib/publish-cache.sh'))}`,
        'build() {',
        '  echo "build $$" >>"$BUILD_LOG"',
        '  echo half >"$1/first"',
        '  sleep 1',
        '  [ "$FAIL" = 1 ] && { echo "the build broke" >&2; return 1; }',
        '  echo whole >"$1/second"',
        '}',
        'publish_cache "$TARGET" build',
      ].join('\n'),
    );
    const cache = join(root, 'cache');
    const target = join(cache, 'thing-v1', 'bin');
    const log = join(root, 'builds.log');
    const build = (env: Record<string, string> = {}) =>
      run('bash', [script], {
        env: { ...process.env, TARGET: target, BUILD_LOG: log, FAIL: '0', ...env },
        timeout: 30_000,
      });
    const builds = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    return { cache, target, build, builds };
  };

  test('two builds at once: one builds, the other waits on the lock and finds it finished', async () => {
    const { target, build, builds } = scene();
    const first = build();
    // While the first build runs, the cache shows nothing under the target's name.
    await waitUntil(() => builds().length === 1, { what: 'the first build to start', timeoutMs: 10_000 });
    const second = build();
    expect(existsSync(target)).toBe(false);
    const [a, b] = await Promise.all([first, second]);
    expect([a.stdout, b.stdout]).toEqual([`${target}\n`, `${target}\n`]);
    expect(builds().length).toBe(1);
    expect(readFileSync(join(target, 'first'), 'utf8')).toBe('half\n');
    expect(readFileSync(join(target, 'second'), 'utf8')).toBe('whole\n');
    expect(readFileSync(join(target, '.complete'), 'utf8')).toMatch(/^built in \d+s\n$/);
    expect(readdirSync(join(target, '..')).sort()).toEqual(['bin', 'bin.lock']);
    // A third run is a cache hit: no build.
    expect((await build()).stdout).toBe(`${target}\n`);
    expect(builds().length).toBe(1);
  });

  test('a build that fails leaves no target and no temporary directory; the next one builds', async () => {
    const { target, build, builds } = scene();
    await expect(build({ FAIL: '1' })).rejects.toMatchObject({ code: 1, stderr: 'the build broke\n' });
    expect(readdirSync(join(target, '..'))).toEqual(['bin.lock']);
    expect((await build()).stdout).toBe(`${target}\n`);
    expect(builds().length).toBe(2);
    expect(existsSync(join(target, '.complete'))).toBe(true);
  });

  test('a target without .complete (a build that died before the lock existed) is rebuilt, not read', async () => {
    const { target, build, builds } = scene();
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'first'), 'stale\n');
    expect((await build()).stdout).toBe(`${target}\n`);
    expect(builds().length).toBe(1);
    expect(readFileSync(join(target, 'first'), 'utf8')).toBe('half\n');
  });
});
