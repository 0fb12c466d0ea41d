import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { QueueWatcher } from './queue-watcher.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(queue: string[][], armed = () => true) {
  let look = 0;
  const polls: number[] = [];
  const watcher = new QueueWatcher({
    probe: async () => {
      const ids = queue[Math.min(look, queue.length - 1)]!;
      look++;
      if (ids[0] === 'fail') throw new Error('connect ECONNREFUSED');
      return ids;
    },
    intervalMs: 250,
    armed,
    onNewRequest: async () => {
      polls.push(look);
    },
    logger: pino({ level: 'silent' }),
  });
  return { watcher, polls };
}

describe('QueueWatcher', () => {
  test('a poll for each look that shows a request not seen before, none for the same queue', async () => {
    const { watcher, polls } = setup([[], [], ['r1'], ['r1'], ['r1', 'r2'], ['r2'], [], ['r3']]);
    watcher.start();
    await vi.advanceTimersByTimeAsync(250 * 7);
    await watcher.stop();
    expect(watcher.counts).toEqual({ looks: 8, triggers: 3 });
    expect(polls).toEqual([3, 5, 8]);
  });

  test('no look while no pool is at 0; looks resume when one is', async () => {
    let armed = false;
    const { watcher, polls } = setup([['r1']], () => armed);
    watcher.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(watcher.counts).toEqual({ looks: 0, triggers: 0 });
    armed = true;
    await vi.advanceTimersByTimeAsync(250);
    await watcher.stop();
    expect(watcher.counts).toEqual({ looks: 1, triggers: 1 });
    expect(polls).toEqual([1]);
  });

  test('a failed look is skipped; the next one still sees the new request', async () => {
    const { watcher, polls } = setup([[], ['fail'], ['r1']]);
    watcher.start();
    await vi.advanceTimersByTimeAsync(500);
    await watcher.stop();
    expect(watcher.counts).toEqual({ looks: 3, triggers: 1 });
    expect(polls).toEqual([3]);
  });

  test('stopped, it looks no more', async () => {
    const { watcher } = setup([[]]);
    watcher.start();
    await vi.advanceTimersByTimeAsync(500);
    await watcher.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(watcher.counts.looks).toBe(3);
  });
});

test('a poll that fails after a new request is one warning line, its stack only at debug level', async () => {
  const lines: Record<string, unknown>[] = [];
  const watcher = new QueueWatcher({
    probe: async () => ['r1'],
    intervalMs: 250,
    armed: () => true,
    onNewRequest: async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.1:4444');
    },
    logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
  });
  watcher.start();
  await vi.advanceTimersByTimeAsync(250);
  await watcher.stop();
  expect(lines.map(({ level, msg, error, err }) => ({ level, msg, error, err }))).toEqual([
    {
      level: 40,
      msg: 'poll after a new queued request failed',
      error: 'connect ECONNREFUSED 10.0.0.1:4444',
      err: undefined,
    },
  ]);
});
