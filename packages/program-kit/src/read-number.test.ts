import { describe, expect, test } from 'vitest';
import { readNumber } from './read-number.ts';

const error = (message: string) => expect.objectContaining({ code: 'CONFIG_INVALID', message });

describe('readNumber', () => {
  test.each([
    ['2.5', 2.5],
    [' 1e3 ', 1000],
    [undefined, 7],
    ['', 7],
    ['  ', 7],
  ])('%j is %s', (raw, value) => {
    expect(readNumber({ name: 'N', raw }, { fallback: 7, min: 0 })).toBe(value);
  });

  test.each([
    ['abc', { fallback: 1, min: 0, max: 5 }, 'N must be a number from 0 to 5, got "abc"'],
    ['6', { fallback: 1, min: 0, max: 5 }, 'N must be a number from 0 to 5, got "6"'],
    ['0.05', { fallback: 1, min: 0.1 }, 'N must be a number of at least 0.1, got "0.05"'],
    ['Infinity', { fallback: 1 }, 'N must be a number, got "Infinity"'],
  ])('%j with %j: %s', (raw, spec, message) => {
    expect(() => readNumber({ name: 'N', raw }, spec)).toThrow(error(message));
  });
});
