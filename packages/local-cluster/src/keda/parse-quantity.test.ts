import { describe, expect, test } from 'vitest';
import { parseQuantity } from './parse-quantity.ts';

describe('parseQuantity', () => {
  test.each([
    ['3', 3],
    ['0', 0],
    ['1500m', 1.5],
    ['97', 97],
    ['2k', 2000],
  ])('%s is %d', (raw, value) => {
    expect(parseQuantity(raw)).toBe(value);
  });

  test('refuses what KEDA does not write', () => {
    expect(() => parseQuantity('3Gi')).toThrow(/unexpected quantity 3Gi/);
  });
});
