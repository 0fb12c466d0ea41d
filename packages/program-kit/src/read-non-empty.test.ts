import { expect, test } from 'vitest';
import { readNonEmpty } from './read-non-empty.ts';

test.each([
  [' a b ', 'a b'],
  ['', undefined],
  ['  \t', undefined],
  [undefined, undefined],
])('%j is %j', (raw, value) => {
  expect(readNonEmpty(raw)).toBe(value);
});
