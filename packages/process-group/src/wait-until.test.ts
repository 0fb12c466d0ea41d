import { expect, test } from 'vitest';
import { GiveUpWaiting, type WaitClock, waitUntil } from './wait-until.ts';

/** A clock that only moves when waitUntil sleeps on it, recording every sleep. */
function fakeClock(): WaitClock & { sleeps: number[] } {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

test('returns the first truthy value the probe gives', async () => {
  const clock = fakeClock();
  let calls = 0;
  const value = await waitUntil(() => (++calls >= 3 ? `after ${calls}` : undefined), {
    what: 'three calls',
    timeoutMs: 2_000,
    intervalMs: 5,
    clock,
  });
  expect(value).toBe('after 3');
  expect(clock.sleeps).toEqual([5, 5]);
});

test('times out at the deadline naming what it waited for, with the last probe error as the cause', async () => {
  const clock = fakeClock();
  let calls = 0;
  const error = await waitUntil(
    () => {
      calls += 1;
      throw new Error(`connection refused ${calls}`);
    },
    { what: 'the hub', timeoutMs: 200, intervalMs: 30, clock },
  ).catch((e: unknown) => e);
  // Probes at 0, 30, …, 180 and a last one at 200: the final sleep is cut to the deadline.
  expect(clock.sleeps).toEqual([30, 30, 30, 30, 30, 30, 20]);
  expect(clock.now()).toBe(1_200);
  expect(calls).toBe(8);
  expect(error).toMatchObject({
    code: 'WAIT_TIMEOUT',
    message: 'timed out after 200 ms waiting for the hub',
  });
  expect((error as Error).cause).toMatchObject({ message: 'connection refused 8' });
});

test('GiveUpWaiting stops the wait at once', async () => {
  const clock = fakeClock();
  await expect(
    waitUntil(
      () => {
        throw new GiveUpWaiting('the node exited');
      },
      { what: 'the node', timeoutMs: 10_000, clock },
    ),
  ).rejects.toThrow('the node exited');
  expect(clock.sleeps).toEqual([]);
  expect(clock.now()).toBe(1_000);
});

test('without a clock it sleeps on the wall clock between probes', async () => {
  let calls = 0;
  const value = await waitUntil(() => ++calls >= 2, { what: 'two calls', timeoutMs: 60_000, intervalMs: 1 });
  expect(value).toBe(true);
  expect(calls).toBe(2);
});
