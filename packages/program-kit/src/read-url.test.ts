import { describe, expect, test } from 'vitest';
import { readUrl } from './read-url.ts';

describe('readUrl', () => {
  test.each([
    ['http://hub:4444', 'http://hub:4444'],
    [' https://u:p@grid.example/sub/ ', 'https://u:p@grid.example/sub/'],
    [undefined, undefined],
    ['', undefined],
  ])('%j is %j', (raw, url) => {
    expect(readUrl({ name: 'X_URL', raw })).toBe(url);
  });

  // The value is named through redactUrl: the password is never in the message.
  test.each([
    [
      'http://user:s3cretPW@127.0.0.1:notaport/',
      'X_URL must be an http or https URL, got "http://user:***@127.0.0.1:notaport/"',
    ],
    ['ftp://user:s3cretPW@127.0.0.1/', 'X_URL must be an http or https URL, got "ftp://user:***@127.0.0.1/"'],
    ['user:s3cretPW@hub:4444', 'X_URL must be an http or https URL, got "user:***@hub:4444"'],
    ['hub:4444', 'X_URL must be an http or https URL, got "hub:4444"'],
  ])('%j is a ConfigError: %s', (raw, message) => {
    expect(() => readUrl({ name: 'X_URL', raw })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message }),
    );
  });

  test('a password in a flag is refused (ps shows it); in a variable it is taken', () => {
    expect(() => readUrl({ name: '--grid-url', raw: 'http://admin:s3cretPW@hub:4444' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message:
          '--grid-url "http://admin:***@hub:4444" holds a password, and ps shows every command line: give this URL in the environment (see --help)',
      }),
    );
    expect(readUrl({ name: '--grid-url', raw: 'http://admin@hub:4444' })).toBe('http://admin@hub:4444');
    expect(readUrl({ name: 'X_GRID_URL', raw: 'http://admin:s3cretPW@hub:4444' })).toBe(
      'http://admin:s3cretPW@hub:4444',
    );
  });

  test('other schemes when asked for', () => {
    expect(readUrl({ name: 'X', raw: 'ftp://h/' }, { protocols: ['ftp:'] })).toBe('ftp://h/');
    expect(() => readUrl({ name: 'X', raw: 'http://h/' }, { protocols: ['ftp:'] })).toThrow(
      'X must be an ftp URL, got "http://h/"',
    );
  });

  test('a password still the shipped placeholder is refused, named without it', () => {
    for (const raw of ['http://admin:replace-me@hub:4444', 'http://admin:replace%2Dme-x@hub:4444']) {
      expect(() => readUrl({ name: 'X_GRID_URL', raw })).toThrow(
        expect.objectContaining({
          code: 'SECRET_PLACEHOLDER',
          message:
            'the password in X_GRID_URL is still the shipped placeholder; set a real value (k8s/README.md, Security)',
        }),
      );
    }
    expect(readUrl({ name: 'X_GRID_URL', raw: 'http://replace-me@hub:4444' })).toBe(
      'http://replace-me@hub:4444',
    );
  });
});
