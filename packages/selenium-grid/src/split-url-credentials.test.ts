import { describe, expect, test } from 'vitest';
import { GridError } from './grid-error.ts';
import { splitUrlCredentials } from './split-url-credentials.ts';

describe('splitUrlCredentials', () => {
  test.each([
    ['http://hub:4444', 'http://hub:4444', undefined],
    ['http://hub:4444/grid/', 'http://hub:4444/grid', undefined],
    [
      'http://admin:s3cret@hub:4444',
      'http://hub:4444',
      { kind: 'basic', username: 'admin', password: 's3cret' },
    ],
    // Percent-encoded characters are the user's, decoded once.
    [
      'https://a%40b:p%3Ass@grid.example/sub/',
      'https://grid.example/sub',
      { kind: 'basic', username: 'a@b', password: 'p:ss' },
    ],
    ['http://onlyuser@hub:4444', 'http://hub:4444', { kind: 'basic', username: 'onlyuser', password: '' }],
  ])('%s → %s', (raw, url, auth) => {
    expect(splitUrlCredentials(raw)).toEqual({ url, auth });
  });

  test.each([
    ['hub:4444', 'the Grid URL: only http and https URLs work, got hub:'],
    ['ftp://u:pw@hub', 'the Grid URL: only http and https URLs work, got ftp:'],
    ['//u:pw@hub', 'the Grid URL: not a URL (expected e.g. http://selenium-hub:4444)'],
    ['http://u:pw@hub:notaport/', 'the Grid URL: not a URL (expected e.g. http://selenium-hub:4444)'],
  ])('%s: GRID_BAD_URL, and the password is not in the message', (raw, message) => {
    let error: unknown;
    try {
      splitUrlCredentials(raw);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GridError);
    expect(error).toMatchObject({ code: 'GRID_BAD_URL', message });
  });

  test('the message names the setting to fix', () => {
    expect(() => splitUrlCredentials('ftp://hub', 'WORKER_GRID_URL')).toThrow(
      'WORKER_GRID_URL: only http and https URLs work, got ftp:',
    );
  });
});
