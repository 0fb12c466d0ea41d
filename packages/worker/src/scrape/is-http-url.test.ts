import { expect, test } from 'vitest';
import { isHttpUrl } from './is-http-url.ts';

test.each([
  ['http://shop.test/a', true],
  ['https://shop.test/a', true],
  ['file:///etc/passwd', false],
  ['javascript:alert(1)', false],
  ['data:text/html,hi', false],
  ['/relative/path', false],
])('%s → %s', (url, expected) => {
  expect(isHttpUrl(url)).toBe(expected);
});
