import { describe, expect, test } from 'vitest';
import { peakAlivePods } from './peak-alive-pods.ts';

describe('peakAlivePods', () => {
  test('no pods: 0', () => {
    expect(peakAlivePods([])).toBe(0);
  });

  test('overlapping lives count together; a pod not yet gone stays alive', () => {
    expect(
      peakAlivePods([
        { createdAt: 0, goneAt: 100 },
        { createdAt: 10, goneAt: 50 },
        { createdAt: 20 },
        { createdAt: 60, goneAt: 70 },
      ]),
    ).toBe(3);
  });

  test('one pod replacing another at the same instant is not counted twice', () => {
    expect(
      peakAlivePods([
        { createdAt: 0, goneAt: 10 },
        { createdAt: 10, goneAt: 20 },
        { createdAt: 20, goneAt: 30 },
      ]),
    ).toBe(1);
  });
});
