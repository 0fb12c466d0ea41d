import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { stopProcessGroup } from './stop-process-group.ts';

describe('stopProcessGroup', () => {
  let kills: [number, string | number | undefined][];
  beforeEach(() => {
    vi.useFakeTimers();
    kills = [];
    vi.spyOn(process, 'kill').mockImplementation((pid, signal) => {
      kills.push([pid, signal]);
      return true;
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  test.each([
    { termTo: 'leader' as const, term: 4242 },
    { termTo: 'group' as const, term: -4242 },
  ])(
    'SIGTERM to the $termTo; exits in time: no SIGKILL but the final sweep of the group',
    async ({ termTo, term }) => {
      const { target, exit } = _target();
      let clock = 0;
      const stopping = stopProcessGroup(target, { graceMs: 1000, termTo, now: () => clock });
      clock = 300;
      exit();
      expect(await stopping).toEqual({ signal: 'SIGTERM', ms: 300 });
      expect(kills).toEqual([
        [term, 'SIGTERM'],
        [-4242, 'SIGKILL'],
      ]);
    },
  );

  test('still running after the grace: SIGKILL to the group, then waits for the exit', async () => {
    const { target, exit } = _target();
    const stopping = stopProcessGroup(target, { graceMs: 1000, termTo: 'leader' });
    await vi.advanceTimersByTimeAsync(999);
    expect(kills).toEqual([[4242, 'SIGTERM']]);
    await vi.advanceTimersByTimeAsync(1);
    expect(kills).toEqual([
      [4242, 'SIGTERM'],
      [-4242, 'SIGKILL'],
    ]);
    exit();
    expect((await stopping).signal).toBe('SIGKILL');
    expect(kills.at(-1)).toEqual([-4242, 'SIGKILL']);
  });

  test('already gone: only the sweep of what it left in its group (with the real clock)', async () => {
    const { target, exit } = _target();
    exit();
    expect(await stopProcessGroup(target, { graceMs: 1000 })).toEqual({ signal: 'none', ms: 0 });
    expect(kills).toEqual([[-4242, 'SIGKILL']]);
  });
});

// --- internal ---

function _target() {
  let running = true;
  let exit!: () => void;
  const exited = new Promise<void>((resolve) => {
    exit = () => {
      running = false;
      resolve();
    };
  });
  return { target: { pid: 4242, exited, isRunning: () => running }, exit };
}
