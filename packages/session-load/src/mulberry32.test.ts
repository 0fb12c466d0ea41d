import { describe, expect, test } from 'vitest';
import { mulberry32 } from './mulberry32.ts';

describe('mulberry32', () => {
  test('the reference sequence for seed 42', () => {
    const next = mulberry32(42);
    // The first values of the reference C implementation for seed 42, divided by 2^32.
    expect([next(), next(), next()].map((x) => Math.round(x * 4294967296))).toEqual([
      2581720956, 1925393290, 3661312704,
    ]);
  });

  test('the same seed gives the same sequence; another seed another', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const seqA = Array.from({ length: 100 }, a);
    expect(Array.from({ length: 100 }, b)).toEqual(seqA);
    expect(Array.from({ length: 100 }, c)).not.toEqual(seqA);
  });

  test('values lie in [0, 1)', () => {
    const next = mulberry32(123);
    for (let i = 0; i < 10_000; i++) {
      const x = next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
