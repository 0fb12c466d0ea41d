import { describe, expect, test } from 'vitest';
import { backoffDelay } from './backoff-delay.ts';

const backoff = { initialMs: 1000, maxMs: 30_000, multiplier: 2, jitter: 0.2 };

describe('backoffDelay', () => {
  test.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [20, 30_000],
  ])('retry %i without jitter waits %i ms', (attempt, expected) => {
    expect(backoffDelay(attempt, backoff, () => 0.5)).toBe(expected);
  });

  test('jitter spreads the delay by ±jitter, never above maxMs', () => {
    expect(backoffDelay(2, backoff, () => 0)).toBe(1600);
    expect(backoffDelay(2, backoff, () => 1)).toBe(2400);
    expect(backoffDelay(10, backoff, () => 1)).toBe(30_000);
    expect(backoffDelay(10, backoff, () => 0)).toBe(24_000);
  });
});
