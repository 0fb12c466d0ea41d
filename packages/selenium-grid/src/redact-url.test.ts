import { expect, test } from 'vitest';
import { redactUrl } from './redact-url.ts';

test.each([
  ['http://admin:s3cret@hub:4444', 'http://admin:***@hub:4444'],
  ['http://admin:s3cret@hub:4444/', 'http://admin:***@hub:4444/'],
  ['https://a:p%40ss@grid.example/sub', 'https://a:***@grid.example/sub'],
  ['http://hub:4444', 'http://hub:4444'],
  ['http://onlyuser@hub:4444', 'http://onlyuser@hub:4444'],
  ['not a url //user:pw@host', 'not a url //***@host'],
])('%s is logged as %s', (raw, logged) => {
  expect(redactUrl(raw)).toBe(logged);
});
