import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSentinel, writeSentinel } from '@scrapegrid/sentinel';
import {
  currentRunId,
  findLeftoverProcesses,
  type ProcessExit,
  spawnTracked,
  waitUntil,
} from '@scrapegrid/test-support';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type ReaperProcess, reaperCommand, startReaper } from '../test/reaper-process.ts';

// Real processes, real signals: the reaper as it runs in a container (the single executable when
// it is up to date), supervising shell process trees.
let dir = '';
let sentinel = '';
const started: ReaperProcess[] = [];

beforeAll(() => {
  console.info(`running the reaper as ${JSON.stringify(reaperCommand())}`);
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reaper-it-'));
  sentinel = join(dir, 'shared', 'done.json');
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop(1_000)));
  await rm(dir, { recursive: true, force: true });
});

const reaper = (args: string[], options: Parameters<typeof startReaper>[1] = {}) => {
  const p = startReaper(args, options);
  started.push(p);
  return p;
};
const exitWithin = async (p: ReaperProcess, ms: number): Promise<ProcessExit> => {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`reaper still running after ${ms} ms:\n${p.output().slice(-3000)}`)),
      ms,
    ),
  );
  return Promise.race([p.exited, timeout]);
};
const until = (what: string, probe: () => boolean, timeoutMs = 15_000) =>
  waitUntil(probe, { what, timeoutMs, intervalMs: 20 });
// A whole line of the child's own output (the reaper's JSON log also quotes the child's arguments).
const childSaid = (p: ReaperProcess, line: string) => p.output().split('\n').includes(line);
const logged = (p: ReaperProcess, msg: string) => p.logs().filter((l) => String(l.msg).includes(msg));

// A sidecar that shrugs off SIGTERM for 30 s (as a slow JVM shutdown would) and has two
// children that ignore SIGTERM altogether.
const STUBBORN_TREE = `
trap 'echo got-term; sleep 30' TERM
( trap '' TERM; exec sleep 3001 ) &
( trap '' TERM; exec sleep 3002 ) &
echo ready
wait; wait`;

describe('stopping the sidecar when the sentinel appears', () => {
  test('a stubborn process tree stops within grace + 1 s, nothing is left, exit 0', async () => {
    const p = reaper([
      '--sentinel-path',
      sentinel,
      '--grace-seconds',
      '2',
      '--',
      'bash',
      '-c',
      STUBBORN_TREE,
    ]);
    await until('the tree to start', () => childSaid(p, 'ready'));
    // Timed from the rename (the end of writeSentinel), not its fsync: the sentinel appears then.
    await writeSentinel(sentinel, makeSentinel(0));
    const appeared = performance.now();
    expect(await exitWithin(p, 3_000 + 2_000)).toEqual({ code: 0, signal: null });
    expect(performance.now() - appeared, JSON.stringify(p.logs().slice(-3))).toBeLessThan(2_000 + 1_000);
    expect(p.output()).toContain('got-term'); // it was asked nicely first
    expect(logged(p, 'sidecar stopped')[0]).toMatchObject({ signal: 'SIGKILL' });
    const left = await waitUntil(
      async () => {
        const procs = (await findLeftoverProcesses(currentRunId())).filter((l) =>
          /sleep 300[12]/.test(l.command),
        );
        return procs.length === 0 ? 'none' : undefined;
      },
      { what: 'the sleeps to be gone', timeoutMs: 2_000, intervalMs: 50 },
    );
    expect(left).toBe('none');
  });

  test('a sentinel written before the reaper starts is acted on (kubexit#8)', async () => {
    await writeSentinel(sentinel, makeSentinel(1, 'embulk failed'));
    const p = reaper(['--sentinel-path', sentinel, '--', 'sleep', '300']);
    expect(await exitWithin(p, 10_000)).toEqual({ code: 0, signal: null });
    expect(logged(p, 'the worker is done')[0]).toMatchObject({
      source: 'sentinel',
      via: 'startup',
      sentinel: { status: 'failed', exitCode: 1 },
    });
  });

  test('a sentinel the reaper may not read still means done (run as an unprivileged user)', async () => {
    await writeSentinel(sentinel, makeSentinel(0));
    await chmod(sentinel, 0o600);
    await chmod(dir, 0o755);
    await chmod(join(dir, 'shared'), 0o755);
    const p = reaper(['--sentinel-path', sentinel, '--', 'sleep', '300'], {
      prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
    });
    expect(await exitWithin(p, 10_000)).toEqual({ code: 0, signal: null });
    expect(logged(p, 'the worker is done')[0]).toMatchObject({ problem: expect.stringContaining('EACCES') });
  });

  test('a sentinel whose directory does not exist yet, written by rename, is seen by inotify', async () => {
    const deep = join(dir, 'not', 'yet', 'done.json');
    const p = reaper(['--sentinel-path', deep, '--poll-interval-ms', '60000', '--', 'sleep', '300']);
    await until('the reaper to wait', () => logged(p, 'waiting for the worker').length > 0);
    await new Promise((r) => setTimeout(r, 200)); // the watch arms right after that line
    const written = performance.now();
    await writeSentinel(deep, makeSentinel(0));
    expect(await exitWithin(p, 5_000)).toEqual({ code: 0, signal: null });
    expect(performance.now() - written).toBeLessThan(1_000);
    expect(logged(p, 'the worker is done')[0]).toMatchObject({ via: 'inotify' });
  });
});

describe('as a supervisor', () => {
  test('SIGTERM to the reaper is forwarded and it exits with the child’s status', async () => {
    const p = reaper([
      '--sentinel-path',
      sentinel,
      '--',
      'bash',
      '-c',
      "trap 'exit 42' TERM; echo ready; sleep 300 & wait",
    ]);
    await until('the child to start', () => childSaid(p, 'ready'));
    p.child.kill('SIGTERM'); // the reaper only, as the kubelet signals PID 1
    expect(await exitWithin(p, 5_000)).toEqual({ code: 42, signal: null });
    expect(logged(p, 'forwarding signal')[0]).toMatchObject({ signal: 'SIGTERM' });
  });

  test('a child killed by the forwarded signal gives 128 + its number', async () => {
    const p = reaper(['--sentinel-path', sentinel, '--', 'bash', '-c', 'echo ready; exec sleep 300']);
    await until('the child to start', () => childSaid(p, 'ready'));
    p.child.kill('SIGINT');
    expect(await exitWithin(p, 5_000)).toEqual({ code: 130, signal: null });
  });

  test('a child that ends on its own passes its exit code through', async () => {
    const p = reaper(['--sentinel-path', sentinel, '--', 'bash', '-c', 'exit 7']);
    expect(await exitWithin(p, 10_000)).toEqual({ code: 7, signal: null });
    expect(logged(p, 'exited on its own')).toHaveLength(1);
  });

  test('a command that does not exist exits 127 and says so', async () => {
    const p = reaper(['--sentinel-path', sentinel, '--', join(dir, 'no-such-entrypoint')]);
    expect(await exitWithin(p, 10_000)).toEqual({ code: 127, signal: null });
    expect(logged(p, 'could not start the command')).toHaveLength(1);
  });

  test('as PID 1 it reaps orphans (bash in front), and without that they stay zombies', async () => {
    const script = join(dir, 'orphan.sh');
    // Leaves an orphan that exits at once, then counts zombies in the PID namespace.
    await writeFile(
      script,
      `sh -c 'sleep 0.2 & exit 0'\nsleep 1.5\nexit $(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l)\n`,
    );
    const args = ['--sentinel-path', sentinel, '--', 'bash', script];
    const prefix = ['unshare', '--pid', '--fork', '--mount-proc'];
    const asInit = reaper(args, { prefix });
    expect(await exitWithin(asInit, 30_000)).toEqual({ code: 0, signal: null });
    // The control: the same run with the bash init turned off leaves one zombie.
    const without = reaper(args, { prefix, env: { SIDECAR_REAPER_UNDER_INIT: '1' } });
    expect(await exitWithin(without, 30_000)).toEqual({ code: 1, signal: null });
  });

  test('as PID 1, SIGTERM to the bash init reaches the child and the child’s code comes back out', async () => {
    const p = reaper(
      ['--sentinel-path', sentinel, '--', 'bash', '-c', "trap 'exit 42' TERM; echo ready; sleep 300 & wait"],
      {
        prefix: ['unshare', '--pid', '--fork', '--mount-proc'],
      },
    );
    await until('the child to start', () => childSaid(p, 'ready'), 30_000);
    // unshare's only child is PID 1 of the new namespace: the bash init (the kubelet's target).
    const init = Number((await readFile(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8')).trim());
    expect((await readFile(`/proc/${init}/cmdline`, 'utf8')).split('\0')).toContain('sidecar-reaper-init');
    process.kill(init, 'SIGTERM');
    expect(await exitWithin(p, 10_000)).toEqual({ code: 42, signal: null });
  });
});

describe('install', () => {
  test('copies the single executable into a directory, links sidecar-reaper to it, and the link runs (from source there is no install, exit 2)', async () => {
    const target = join(dir, 'scrapegrid', 'bin');
    const p = reaper(['install', target]);
    if (reaperCommand().kind === 'source') {
      expect(await exitWithin(p, 10_000)).toEqual({ code: 2, signal: null });
      expect(p.output()).toContain('unexpected argument "install": put the command after --');
      return;
    }
    expect(await exitWithin(p, 30_000)).toEqual({ code: 0, signal: null });
    const installed = join(target, 'sidecar-reaper');
    expect((await stat(installed)).mode & 0o777).toBe(0o755);
    expect(await readlink(installed)).toBe('pod-tools');
    // no temporary left
    expect((await readdir(target)).sort()).toEqual(['drain-hook', 'pod-tools', 'sidecar-reaper']);
    const copy = spawnTracked('installed-reaper', installed, [
      '--sentinel-path',
      sentinel,
      '--',
      'bash',
      '-c',
      'exit 5',
    ]);
    started.push(Object.assign(copy, { logs: () => [] }));
    expect(await exitWithin(copy as ReaperProcess, 30_000)).toEqual({ code: 5, signal: null });
  });
});

describe('bad configuration exits 2 and says what to fix', () => {
  test.each([
    ['no command', ['--sentinel-path', '/tmp/x/done.json'], 'no command to supervise'],
    // (An empty one is the default, as every blank setting is, and as the worker reads it.)
    [
      'a relative sentinel path',
      ['--sentinel-path', 'done.json', '--', 'true'],
      'the sentinel path must be absolute',
    ],
    ['a negative grace', ['--grace-seconds', '-3', '--', 'true'], 'grace-seconds must be a number'],
  ])('%s', async (_, args, message) => {
    const p = reaper(args);
    expect(await exitWithin(p, 10_000)).toEqual({ code: 2, signal: null });
    expect(p.output()).toContain(message);
  });

  test('an unreadable sentinel directory (run as an unprivileged user, as in the image)', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o700 });
    await chmod(dir, 0o755);
    const p = reaper(['--sentinel-path', join(locked, 'done.json'), '--', 'true'], {
      prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
    });
    expect(await exitWithin(p, 10_000)).toEqual({ code: 2, signal: null });
    expect(p.output()).toContain(`the sentinel directory ${locked} is not readable by uid 65534`);
  });
});

// The pod watch that sees a worker killed without writing the sentinel (OOMKilled) is proved on
// the real cluster: k8s/test/cluster/scrape-job.integration.test.ts, both reapers in the Job's pod.
describe('a worker killed without writing the sentinel', () => {
  test('without API access it says so once at start', async () => {
    const p = reaper(['--sentinel-path', sentinel, '--', 'bash', '-c', 'exit 0']);
    expect(await exitWithin(p, 10_000)).toEqual({ code: 0, signal: null });
    expect(logged(p, 'no Kubernetes API access')).toHaveLength(1);
  });
});
