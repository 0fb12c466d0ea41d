import { expect, test } from 'vitest';
import { jsonEqual } from './json-equal.ts';

test.each([
  [1, 1, true],
  ['a', 'a', true],
  ['1', 1, false],
  [null, null, true],
  [null, {}, false],
  [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
  [{ a: 1 }, { a: 1, b: undefined }, false],
  [[1, 2], [2, 1], false],
  [[], {}, false],
])('jsonEqual(%j, %j) = %s', (a, b, expected) => {
  expect(jsonEqual(a, b)).toBe(expected);
});
