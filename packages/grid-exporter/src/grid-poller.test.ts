import { pino } from 'pino';
import { describe, expect, test, vi } from 'vitest';
import { buildGridData } from './build-grid-data.ts';
import { GridPollError } from './grid-poll-error.ts';
import { GridPoller } from './grid-poller.ts';
import type { GridAnswer, GridSource } from './grid-source.ts';
import { makePool } from './pool.ts';

const CHROME = { browserName: 'chrome' };
const logger = pino({ level: 'silent' });

/** A GridSource answering from a queue of prepared results; counts its calls. */
function scriptedClient(results: Array<GridAnswer | Error>) {
  let calls = 0;
  const client: GridSource = {
    async fetch() {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      const next = results.shift();
      if (next === undefined) throw new Error('script exhausted');
      if (next instanceof Error) throw next;
      return next;
    },
    close: async () => {},
  };
  return { client, calls: () => calls };
}

describe('GridPoller', () => {
  const pools = [makePool({ name: 'chrome', browserName: 'chrome' })];

  test('concurrent polls share one request (single flight)', async () => {
    const { client, calls } = scriptedClient([
      { data: buildGridData([], [CHROME]), queueRequestIds: ['r1'] },
    ]);
    const poller = new GridPoller({ client, pools, intervalSeconds: 60, logger });
    const snapshots = await Promise.all(Array.from({ length: 50 }, () => poller.pollOnce()));
    expect(calls()).toBe(1);
    expect(new Set(snapshots).size).toBe(1);
    expect(poller.current()?.grid?.pools[0]?.desiredNodes).toBe(1);
  });

  test('a failed poll is data, not an exception; the queue wait survives across polls', async () => {
    let now = 1_000_000;
    const { client } = scriptedClient([
      { data: buildGridData([], [CHROME]), queueRequestIds: ['r1'] },
      new GridPollError('timeout', 'slow'),
      { data: { nope: 1 }, queueRequestIds: undefined },
      { data: buildGridData([], [CHROME, CHROME]), queueRequestIds: ['r1', 'r2'] },
    ]);
    const poller = new GridPoller({ client, pools, intervalSeconds: 60, logger, now: () => now });
    const seen: string[] = [];
    poller.onPoll((s) => seen.push(s.error?.reason ?? 'ok'));
    await poller.pollOnce();
    now += 7_000;
    expect((await poller.pollOnce()).error?.reason).toBe('timeout');
    const garbage = await poller.pollOnce();
    expect(garbage).toMatchObject({ grid: undefined, error: { reason: 'invalid_response' } });
    now += 3_000;
    const last = await poller.pollOnce();
    expect(last.grid?.oldestQueueWaitSeconds).toBe(10);
    expect(last.sequence).toBe(4);
    expect(seen).toEqual(['ok', 'timeout', 'invalid_response', 'ok']);
  });

  test('a failed poll is logged as one line with its code and message; its stack only at debug level', async () => {
    const poll = async (level: string) => {
      const lines: Record<string, unknown>[] = [];
      const log = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
      const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
      const { client } = scriptedClient([
        new GridPollError('unreachable', 'cannot reach the Grid', { cause }),
      ]);
      await new GridPoller({ client, pools, intervalSeconds: 60, logger: log }).pollOnce();
      return lines.map(({ time: _time, pid: _pid, hostname: _hostname, ...rest }) => rest);
    };
    expect(await poll('info')).toEqual([
      {
        level: 40,
        code: 'GRID_POLL_FAILED',
        reason: 'unreachable',
        error: 'cannot reach the Grid',
        msg: 'Grid poll failed',
      },
    ]);
    const atDebug = await poll('debug');
    expect(atDebug).toHaveLength(2);
    expect(atDebug[1]).toMatchObject({ level: 20, msg: 'Grid poll failed: the stack' });
    expect((atDebug[1]!.err as { stack: string }).stack).toMatch(
      /^GridPollError: cannot reach the Grid\n\s+at .*\ncaused by: Error: connect ECONNREFUSED 127\.0\.0\.1:1/s,
    );
  });

  test('start polls on its interval and stop ends the schedule', async () => {
    const answer = { data: buildGridData([], []), queueRequestIds: [] };
    const { client, calls } = scriptedClient(Array.from({ length: 100 }, () => answer));
    vi.useFakeTimers();
    try {
      const poller = new GridPoller({ client, pools, intervalSeconds: 0.1, logger });
      poller.start();
      await vi.advanceTimersByTimeAsync(450);
      await poller.stop();
      const after = calls();
      // Polls at 0, 100, 200, 300 and 400 ms.
      expect(after).toBe(5);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(calls()).toBe(after);
    } finally {
      vi.useRealTimers();
    }
  });
});
