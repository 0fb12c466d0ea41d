import { describe, expect, test } from 'vitest';
import { findLeftoverProcesses } from './leftover-processes.ts';
import { currentRunId, spawnTracked } from './tracked-process.ts';
import { waitUntil } from './wait-until.ts';

// A parent that ignores SIGTERM and has a child that ignores it too: what Grid nodes look like
// to a careless test (the JVM's chromedriver and Chromium are such children).
const STUBBORN_TREE = `trap '' TERM; sh -c "trap '' TERM; echo child \\$\\$; sleep 60" & echo parent $$; wait`;

describe('spawnTracked', () => {
  test('stop() escalates to SIGKILL after the grace and takes the whole process group', async () => {
    const proc = spawnTracked('stubborn', 'sh', ['-c', STUBBORN_TREE]);
    await waitUntil(() => /child \d+/.test(proc.output()), { what: 'the child to start', timeoutMs: 5_000 });
    const childPid = Number(/child (\d+)/.exec(proc.output())![1]);
    const started = Date.now();
    const exit = await proc.stop(300);
    expect(exit.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(3_000);
    await waitUntil(() => !isAlive(childPid), { what: 'the grandchild to die', timeoutMs: 3_000 });
  });

  test('marks children with the run id so a sweep finds escaped descendants', async () => {
    const proc = spawnTracked('marked', 'sh', ['-c', 'sleep 30 & wait']);
    await waitUntil(
      async () =>
        (await findLeftoverProcesses(currentRunId())).filter((p) => p.pgid === proc.pid).length >= 2,
      { what: 'the shell and its sleep to carry the marker', timeoutMs: 5_000 },
    );
    await proc.stop(1_000);
    await waitUntil(
      async () => !(await findLeftoverProcesses(currentRunId())).some((p) => p.pgid === proc.pid),
      { what: 'the group to be gone', timeoutMs: 3_000 },
    );
  });

  test('exited resolves with the exit code and the output is kept', async () => {
    const proc = spawnTracked('exit-3', 'sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(await proc.exited).toEqual({ code: 3, signal: null });
    expect(proc.isRunning()).toBe(false);
    expect(proc.output()).toContain('out');
    expect(proc.output()).toContain('err');
  });

  test('a command that does not exist fails at once, naming it', () => {
    expect(() => spawnTracked('missing', '/nonexistent/binary', [])).toThrow(
      'missing: could not start /nonexistent/binary',
    );
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
