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

describe('request rules: what the hub would place on the pool', () => {
  const chrome = makePoolMatcher(makePool({ name: 'chrome', browserName: 'chrome', platformName: 'Linux' }));

  test.each([
    // Selenium's Python and Java clients by default: no platformName (KEDA counts it nowhere).
    [{ browserName: 'chrome' }, true],
    [{ browserName: 'chrome', platformName: '' }, true],
    [{ browserName: 'chrome', platformName: 'ANY' }, true],
    [{ browserName: 'chrome', platformName: 'linux' }, true],
    [{ browserName: 'chrome', platformName: 'unix' }, true],
    [{ browserName: 'chrome', platformName: 'Windows 11' }, false],
    [{ browserName: 'chrome', browserVersion: '131' }, false],
    [{ browserName: 'firefox' }, false],
    // No browserName: the hub places it on any node the rest fits.
    [{ platformName: 'linux' }, true],
    [{ browserName: 'chrome', 'se:downloadsEnabled': true }, true],
    // The hub places an empty capability set nowhere.
    [{}, false],
  ])('chrome pool on Linux, request %j → %s', (caps, expected) => {
    expect(chrome.request(view(caps))).toBe(expected);
  });

  test.each([
    [{ browserName: 'MicrosoftEdge', browserVersion: '91.0', platformName: 'linux' }, true],
    // Requests match browserName only, never sessionBrowserName.
    [{ browserName: 'msedge', browserVersion: '91.0', platformName: 'linux' }, false],
    // No version fits any version (KEDA: only a pool without one).
    [{ browserName: 'MicrosoftEdge', platformName: 'linux' }, true],
    [{ browserName: 'MicrosoftEdge' }, true],
    [{ browserName: 'MicrosoftEdge', browserVersion: '91' }, true],
    [{ browserName: 'MicrosoftEdge', browserVersion: '9' }, false],
    [{ browserName: 'MicrosoftEdge', browserVersion: '92.0' }, false],
  ])('edge pool 91.0 on linux, request %j → %s', (caps, expected) => {
    expect(edge.request(view(caps))).toBe(expected);
  });

  test.each([
    // The hub compares a pool capability only when the request names it (KEDA: must be present).
    [{ browserName: 'chrome' }, true],
    [{ browserName: 'chrome', 'myApp:scope': 'internal' }, true],
    [{ browserName: 'chrome', 'myApp:scope': 'INTERNAL' }, true],
    [{ browserName: 'chrome', 'myApp:scope': 'public' }, false],
    [{ browserName: 'chrome', 'myApp:scope': null }, true],
    // The pool has no managed downloads.
    [{ browserName: 'chrome', 'se:downloadsEnabled': true }, false],
    [{ browserName: 'chrome', browserVersion: '130' }, false],
  ])('pool with extra capabilities, request %j → %s', (caps, expected) => {
    expect(scoped.request(view(caps))).toBe(expected);
  });
});
