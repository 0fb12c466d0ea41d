import { describe, expect, test, vi } from 'vitest';
import { findLeftoverProcesses } from './leftover-processes.ts';
import { currentRunId, type ProcessExit, spawnTracked } from './tracked-process.ts';
import { waitUntil } from './wait-until.ts';

// A parent that ignores SIGTERM and has a child that ignores it too: what Grid nodes look like
// to a careless test (the JVM's chromedriver and Chromium are such children).
const STUBBORN_TREE = `trap '' TERM; sh -c "trap '' TERM; echo child \\$\\$; sleep 60" & echo parent $$; wait`;

describe('spawnTracked', () => {
  test('stop() escalates to SIGKILL after the grace and takes the whole process group', async () => {
    const proc = spawnTracked('stubborn', 'sh', ['-c', STUBBORN_TREE]);
    await waitUntil(() => /child \d+/.test(proc.output()), { what: 'the child to start', timeoutMs: 5_000 });
    const childPid = Number(/child (\d+)/.exec(proc.output())![1]);
    // The grace is counted on fake timers (stopProcessGroup waits on one setTimeout): 1 ms before
    // the grace ends that timer is still pending (so no SIGKILL was sent) and the stubborn tree
    // runs; when it ends, the tree is SIGKILLed.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let stopped: ProcessExit | undefined;
    try {
      const stopping = proc.stop(300).then((exit) => {
        stopped = exit;
        return exit;
      });
      await vi.advanceTimersByTimeAsync(299);
      expect(vi.getTimerCount()).toBe(1);
      expect(stopped).toBeUndefined();
      expect(proc.isRunning()).toBe(true);
      expect(isAlive(childPid)).toBe(true);
      await vi.advanceTimersByTimeAsync(1);
      expect(vi.getTimerCount()).toBe(0);
      const exit = await stopping;
      expect(exit.signal).toBe('SIGKILL');
    } finally {
      vi.useRealTimers();
    }
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
