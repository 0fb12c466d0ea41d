import { describe, expect, test } from 'vitest';
import { platformOf, platformsMatch } from './platform-of.ts';

describe('platformsMatch', () => {
  test.each([
    ['linux', 'LINUX', true],
    ['linux', 'bsd', true],
    ['linux', 'solaris', true],
    ['linux', 'unix', false],
    ['Windows 11', 'windows 10', true],
    ['Windows 11', 'win10', true],
    ['windows', 'Windows 11', false],
    ['windows', 'WINDOWS', true],
    ['mac', 'macOS 14.0', false],
    ['macOS 14.0', 'sonoma', true],
    ['macOS 14.0', 'OS X 10.9', true],
    ['', 'any', true],
    ['', 'ANY', true],
    ['', 'linux', false],
    ['any', 'linux', false],
    ['linux', 'windows 11', false],
    ['plan9', 'Plan9', true],
    ['plan9', 'linux', false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(platformsMatch(platformOf(a), platformOf(b))).toBe(expected);
    expect(platformsMatch(platformOf(b), platformOf(a))).toBe(expected);
  });
});
