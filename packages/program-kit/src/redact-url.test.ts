import { expect, test } from 'vitest';
import { redactUrl } from './redact-url.ts';

test.each([
  ['http://admin:s3cret@hub:4444', 'http://admin:***@hub:4444'],
  ['http://admin:s3cret@hub:4444/', 'http://admin:***@hub:4444/'],
  ['https://a:p%40ss@grid.example/sub', 'https://a:***@grid.example/sub'],
  ['ftp://user:s3cretPW@127.0.0.1/', 'ftp://user:***@127.0.0.1/'],
  ['http://hub:4444', 'http://hub:4444'],
  ['http://onlyuser@hub:4444', 'http://onlyuser@hub:4444'],
  // Not readable by `new URL`: the textual rule.
  ['http://user:s3cretPW@127.0.0.1:notaport/', 'http://user:***@127.0.0.1:notaport/'],
  ['http://user:pa/ss@host:4444', 'http://user:***@host:4444'],
  ['http://user:p@ss@host:nope', 'http://user:***@host:nope'],
  ['//user:pw@host', '//user:***@host'],
  ['not a url //user:pw@host', 'not a url //user:***@host'],
  // Parsed as scheme `user:` with an opaque path: the password would hide in the path.
  ['user:s3cretPW@host:4444', 'user:***@host:4444'],
  ['hub:4444', 'hub:4444'],
  ['', ''],
])('%s is shown as %s', (raw, shown) => {
  expect(redactUrl(raw)).toBe(shown);
});
