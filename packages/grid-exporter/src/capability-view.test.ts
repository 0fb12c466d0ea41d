import { expect, test } from 'vitest';
import { parseCapabilityView, toCapabilityView } from './capability-view.ts';
import { MalformedEntryError } from './malformed-entry-error.ts';

test('reads names lower-cased, versions as given', () => {
  const v = toCapabilityView({
    browserName: 'Chrome',
    browserVersion: 'Beta',
    platformName: 'LINUX',
    'se:downloadsEnabled': true,
  });
  expect(v).toMatchObject({
    browserName: 'chrome',
    browserVersion: 'Beta',
    platform: { name: 'linux', family: 'unix' },
    downloadsEnabled: true,
  });
});

test.each([
  [{ browserName: 1 }],
  [{ browserVersion: {} }],
  [{ platformName: [] }],
  [{ 'se:downloadsEnabled': 'true' }],
  [[]],
  [null],
  ['chrome'],
])('rejects %j', (caps) => {
  expect(() => toCapabilityView(caps)).toThrow(MalformedEntryError);
});

test.each([['{'], [42], ['[1]']])('rejects the JSON string %j', (json) => {
  expect(() => parseCapabilityView(json)).toThrow(MalformedEntryError);
});
