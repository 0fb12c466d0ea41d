import { describe, expect, test } from 'vitest';
import { toCapabilityView } from './capability-view.ts';
import { makePool } from './pool.ts';
import { makePoolMatcher } from './pool-matcher.ts';

const edge = makePoolMatcher(
  makePool({
    name: 'edge',
    browserName: 'MicrosoftEdge',
    sessionBrowserName: 'msedge',
    browserVersion: '91.0',
    platformName: 'linux',
  }),
);
const scoped = makePoolMatcher(
  makePool({
    name: 's',
    browserName: 'chrome',
    capabilities: { 'myApp:scope': 'internal', 'goog:x': 1 },
    enableManagedDownloads: false,
  }),
);
const view = toCapabilityView;

describe('stereotype rules', () => {
  test.each([
    [{ browserName: 'msedge', browserVersion: '91.0', platformName: 'Linux' }, true],
    [{ browserName: 'MicrosoftEdge', browserVersion: '91', platformName: 'linux' }, true],
    [{ browserName: 'msedge', browserVersion: '92.0', platformName: 'linux' }, false],
    [{ browserName: 'msedge', platformName: 'linux' }, false],
    [{ browserName: 'msedge', browserVersion: '91.0', platformName: 'Windows 11' }, false],
  ])('edge pool, stereotype %j → %s', (caps, expected) => {
    expect(edge.stereotype(view(caps))).toBe(expected);
  });

  test.each([
    [{ browserName: 'chrome', 'myApp:scope': 'internal' }, true],
    [{ browserName: 'chrome', 'myApp:scope': 'public' }, false],
    [{ browserName: 'chrome' }, false],
    [{ browserName: 'chrome', 'myApp:scope': 'internal', 'se:downloadsEnabled': true }, false],
    [{ browserName: 'chrome', 'myApp:scope': 'internal', 'se:downloadsEnabled': false }, true],
    [{ browserName: 'chrome', 'myApp:scope': 'internal', browserVersion: '130.0' }, true],
  ])('extra capabilities and downloads, %j → %s', (caps, expected) => {
    expect(scoped.stereotype(view(caps))).toBe(expected);
  });
});

describe('request rules', () => {
  test.each([
    [{ browserName: 'MicrosoftEdge', browserVersion: '91.0', platformName: 'linux' }, true],
    // Requests match browserName only, never sessionBrowserName.
    [{ browserName: 'msedge', browserVersion: '91.0', platformName: 'linux' }, false],
    // An empty request version fits only an empty pool version (KEDA's rule, kept for requests).
    [{ browserName: 'MicrosoftEdge', platformName: 'linux' }, false],
  ])('edge pool, request %j → %s', (caps, expected) => {
    expect(edge.request(view(caps))).toBe(expected);
  });

  test('a request with a version does not fit a pool without one', () => {
    expect(
      scoped.request(view({ browserName: 'chrome', 'myApp:scope': 'internal', browserVersion: '130' })),
    ).toBe(false);
  });
});
