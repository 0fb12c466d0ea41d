import { describe, expect, test } from 'vitest';
import { requestVersionFits } from './request-version-fits.ts';

// [pool browserVersion, request browserVersion ('' = absent), fits]; every row checked against
// Selenium 4.48's DefaultSlotMatcher (stereotype = the pool).
describe('requestVersionFits', () => {
  test.each([
    ['91.0', '', true],
    ['131.0', 'stable', true],
    ['', 'stable', true],
    ['', '', true],
    ['', '91', false],
    ['91.0', '91', true],
    ['91.0', '91.0', true],
    ['91', '91.0', true],
    ['91.0', '9', false],
    ['91.0.1', '91.0', true],
    ['91.0', '91.0.1', false],
    ['91.0', '91.1', false],
    ['130.0', '131', false],
    ['131.0', '130', false],
    ['128.0.6613.84', '128', true],
    ['128', '128.0.6613.84', false],
    ['stable', '131', false],
    ['131.0', 'latest', false],
    ['latest', '131', false],
    ['beta', 'BETA', true],
  ])('pool %j, request %j → %s', (pool, request, expected) => {
    expect(requestVersionFits(pool, request)).toBe(expected);
  });
});
