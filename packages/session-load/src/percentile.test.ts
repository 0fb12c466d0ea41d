import { describe, expect, test } from 'vitest';
import { percentile } from './percentile.ts';

describe('percentile', () => {
  test.each([
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 50, 2],
    [[1, 2, 3, 4, 5], 50, 3],
    [Array.from({ length: 20 }, (_, i) => i + 1), 95, 19],
    [Array.from({ length: 100 }, (_, i) => 100 - i), 95, 95],
    [[7], 95, 7],
    [[1, 2, 3], 100, 3],
    [[5, 1, 9], 1, 1],
  ])('%j p%d is %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  test('no values: undefined', () => {
    expect(percentile([], 50)).toBeUndefined();
  });

  test('p out of range is refused', () => {
    expect(() => percentile([1], 0)).toThrow('percentile must be in (0, 100], got 0');
    expect(() => percentile([1], 101)).toThrow('percentile must be in (0, 100], got 101');
  });
});
