import { describe, expect, test } from 'vitest';
import { exitCodeOf } from './start-child.ts';

describe('exitCodeOf: the shell convention the kubelet reports', () => {
  test.each([
    [{ code: 0, signal: null }, 0],
    [{ code: 42, signal: null }, 42],
    [{ code: null, signal: 'SIGTERM' as const }, 143],
    [{ code: null, signal: 'SIGKILL' as const }, 137],
    [{ code: null, signal: 'SIGINT' as const }, 130],
    [
      {
        code: null,
        signal: null,
        startError: Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' }),
      },
      127,
    ],
    [
      {
        code: null,
        signal: null,
        startError: Object.assign(new Error('spawn x EACCES'), { code: 'EACCES' }),
      },
      126,
    ],
  ])('%j → %i', (exit, code) => {
    expect(exitCodeOf(exit)).toBe(code);
  });
});
