import { expect, test } from 'vitest';
import { GiveUpWaiting, waitUntil } from './wait-until.ts';

test('returns the first truthy value the probe gives', async () => {
  let calls = 0;
  const value = await waitUntil(() => (++calls >= 3 ? `after ${calls}` : undefined), {
    what: 'three calls',
    timeoutMs: 2_000,
    intervalMs: 5,
  });
  expect(value).toBe('after 3');
});

test('times out naming what it waited for, with the last probe error as the cause', async () => {
  const started = Date.now();
  const error = await waitUntil(
    () => {
      throw new Error('connection refused');
    },
    { what: 'the hub', timeoutMs: 200, intervalMs: 20 },
  ).catch((e: unknown) => e);
  expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  expect(error).toMatchObject({
    code: 'WAIT_TIMEOUT',
    message: 'timed out after 200 ms waiting for the hub',
  });
  expect((error as Error).cause).toMatchObject({ message: 'connection refused' });
});

test('GiveUpWaiting stops the wait at once', async () => {
  const started = Date.now();
  await expect(
    waitUntil(
      () => {
        throw new GiveUpWaiting('the node exited');
      },
      { what: 'the node', timeoutMs: 10_000 },
    ),
  ).rejects.toThrow('the node exited');
  expect(Date.now() - started).toBeLessThan(1_000);
});
