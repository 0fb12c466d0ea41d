import { expect, test } from 'vitest';
import { QueueWaitTracker } from './queue-wait-tracker.ts';

test('tracks first-seen times across polls and forgets served requests', () => {
  const t = new QueueWaitTracker();
  expect(t.oldestWaitSeconds(0)).toBe(0);
  t.observe(['a'], 1_000);
  t.observe(['a', 'b'], 6_000);
  expect(t.oldestWaitSeconds(6_000)).toBe(5);
  t.observe(['b'], 11_000);
  expect(t.oldestWaitSeconds(11_000)).toBe(5);
  // A request that leaves and comes back (a new request with the same id) starts again.
  t.observe(['a', 'b'], 12_000);
  expect(t.oldestWaitSeconds(12_000)).toBe(6);
  t.observe([], 13_000);
  expect(t.oldestWaitSeconds(13_000)).toBe(0);
});
