import { afterEach, describe, expect, test } from 'vitest';
import { createGridClient, type GridClient } from './create-grid-client.ts';
import { fakeClock } from './fake-clock.test-helper.ts';
import { GridError } from './grid-error.ts';
import { closedUrl, json, startStandIn } from './stand-in-grid.test-helper.ts';
import { waitForGridReady } from './wait-for-grid-ready.ts';

// A stand-in hub that says "not ready" until the Nth look; the clock is fake, so the test waits
// for nothing and counts the pauses instead.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function hub(answers: boolean[]): Promise<GridClient> {
  let calls = 0;
  const server = await startStandIn((_req, res) => {
    const ready = answers[Math.min(calls++, answers.length - 1)];
    json(res, 200, { value: { ready, message: ready ? 'Selenium Grid ready.' : 'no nodes yet' } });
  });
  const client = createGridClient({ url: server.url });
  cleanups.push(server.close, client.close);
  return client;
}

describe('waitForGridReady', () => {
  test('returns once the hub says ready, after two pauses of 500 ms', async () => {
    const clock = fakeClock();
    await waitForGridReady(await hub([false, false, true]), { timeoutMs: 10_000, clock });
    expect(clock.slept).toEqual([500, 500]);
  });

  test("until 'answer': a hub without capacity (a pool at 0) is ready at its first answer", async () => {
    const clock = fakeClock();
    await waitForGridReady(await hub([false]), { timeoutMs: 10_000, clock, until: 'answer' });
    expect(clock.slept).toEqual([]);
  });

  test('gives up at the deadline with what the hub last said', async () => {
    const client = await hub([false]);
    const clock = fakeClock();
    const error = await waitForGridReady(client, { timeoutMs: 1200, clock }).catch((e: unknown) => e);
    expect(error).toEqual(
      new GridError(
        'GRID_NOT_READY',
        `the Grid at ${client.url} was not ready after 1200 ms (not ready: no nodes yet)`,
      ),
    );
    expect((error as GridError).code).toBe('GRID_NOT_READY');
    expect(clock.slept).toEqual([500, 500, 200]);
  });

  test('a hub that does not answer yet (the worker started first) is waited for and reported every 5 s', async () => {
    const url = await closedUrl();
    const client = createGridClient({ url });
    cleanups.push(client.close);
    const seen: string[] = [];
    const clock = fakeClock();
    const error = await waitForGridReady(client, {
      timeoutMs: 12_000,
      clock,
      onWaiting: (problem) => seen.push(problem),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'GRID_NOT_READY',
      message: `the Grid at ${url} was not ready after 12000 ms (GET ${url}/status: no answer (ECONNREFUSED))`,
    });
    // At the first look, then each time more than 5 s have passed since the last report.
    expect(seen).toEqual(Array(3).fill(`GET ${url}/status: no answer (ECONNREFUSED)`));
  });

  test('stops at once when aborted, with the reason', async () => {
    const client = await hub([false]);
    const controller = new AbortController();
    const clock = fakeClock();
    const original = clock.sleep;
    clock.sleep = async (ms, signal) => {
      if (clock.slept.length === 2) controller.abort(new Error('SIGTERM'));
      return original(ms, signal);
    };
    await expect(
      waitForGridReady(client, { timeoutMs: 60_000, signal: controller.signal, clock }),
    ).rejects.toThrow('SIGTERM');
    expect(clock.slept).toEqual([500, 500]);
  });
});
