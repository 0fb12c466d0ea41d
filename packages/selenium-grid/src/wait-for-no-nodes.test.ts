import { afterEach, expect, test } from 'vitest';
import { createGridClient } from './create-grid-client.ts';
import { fakeClock } from './fake-clock.test-helper.ts';
import { closedUrl, json, startStandIn } from './stand-in-grid.test-helper.ts';
import { waitForNoNodes } from './wait-for-no-nodes.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A stand-in hub listing `counts[i]` nodes at its i-th look (the last count repeats). */
async function hubListing(counts: number[]) {
  let calls = 0;
  const server = await startStandIn((_req, res) => {
    const count = counts[Math.min(calls++, counts.length - 1)] ?? 0;
    const nodes = Array.from({ length: count }, (_, i) => ({
      id: `n${i}`,
      availability: 'DRAINING',
      slots: [],
    }));
    json(res, 200, { value: { ready: count > 0, message: '', nodes } });
  });
  const client = createGridClient({ url: server.url });
  cleanups.push(server.close, client.close);
  return client;
}

test.each([
  ['the nodes leave', [2, 1, 0], 1_000, { outcome: 'gone', remaining: 0, ms: 500 }, [250, 250]],
  ['a node stays', [1], 600, { outcome: 'timeout', remaining: 1, ms: 600 }, [250, 250, 100]],
  ['no node at all', [0], 1_000, { outcome: 'gone', remaining: 0, ms: 0 }, []],
])('%s', async (_what, counts, timeoutMs, expected, slept) => {
  const clock = fakeClock();
  expect(await waitForNoNodes(await hubListing(counts), { timeoutMs, clock })).toEqual(expected);
  expect(clock.slept).toEqual(slept);
});

test('a hub that does not answer is not waited for', async () => {
  const client = createGridClient({ url: await closedUrl() });
  cleanups.push(client.close);
  const clock = fakeClock();
  expect(await waitForNoNodes(client, { timeoutMs: 30_000, clock })).toEqual({
    outcome: 'hub-unreachable',
    remaining: 0,
    ms: 0,
  });
});
