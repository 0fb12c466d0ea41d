import { describe, expect, test } from 'vitest';
import { requestPlatformFits } from './request-platform-fits.ts';

// [pool platformName, request platformName ('' = absent), fits]. Each row with a pool platform was
// checked against Selenium 4.48's DefaultSlotMatcher (stereotype = the pool, request as given).
describe('requestPlatformFits', () => {
  test.each([
    // What Selenium's Python and Java clients send: no platformName. KEDA: no; the hub: yes.
    ['linux', '', true],
    ['Linux', '', true],
    ['Windows 11', '', true],
    ['linux', 'any', true],
    ['linux', 'ANY', true],
    ['linux', 'Any', true],
    // A name Selenium does not know is dropped by the hub: any platform.
    ['linux', 'plan9', true],
    ['linux', 'LINUX', true],
    ['Linux', 'linux', true],
    // Families go one way: the pool's platform must be the request's or one of its members.
    ['linux', 'unix', true],
    ['unix', 'linux', false],
    ['bsd', 'linux', false],
    ['linux', 'bsd', true],
    ['solaris', 'bsd', true],
    ['Windows 11', 'windows', true],
    ['windows', 'Windows 11', false],
    ['Windows 11', 'Windows 10', false],
    ['Windows 11', 'win11', true],
    ['macOS 14.0', 'mac', true],
    ['macOS 14.0', 'sonoma', true],
    ['macOS 14.0', 'macOS 13.0', false],
    ['mac', 'macOS 14.0', false],
    ['linux', 'Windows 11', false],
    // A pool Selenium cannot read takes only requests that fit every pool.
    ['plan9', 'plan9', true],
    ['plan9', 'linux', false],
    ['plan9', '', true],
    // A pool without a platform: the hub and KEDA agree on a named platform...
    ['', 'linux', false],
    // ...and KEDA's "empty = any" is kept for an explicit any (the hub alone would say no).
    ['', 'any', true],
    ['', '', true],
    ['any', 'linux', false],
  ])('pool %j, request %j → %s', (pool, request, expected) => {
    expect(requestPlatformFits(pool, request)).toBe(expected);
  });
});
