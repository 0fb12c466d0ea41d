import { expect, test } from 'vitest';
import { readChoice } from './read-choice.ts';

const FORMATS = ['json', 'pretty', 'auto'] as const;

test('a listed word, or the fallback when unset or blank', () => {
  expect(readChoice({ name: 'X_LOG_FORMAT', raw: ' pretty ' }, FORMATS, 'json')).toBe('pretty');
  expect(readChoice({ name: 'X_LOG_FORMAT', raw: undefined }, FORMATS, 'json')).toBe('json');
  expect(readChoice({ name: 'X_LOG_FORMAT', raw: '' }, FORMATS, 'auto')).toBe('auto');
});

test.each(['xml', 'JSON'])('%j is a ConfigError naming the setting and the choices', (raw) => {
  expect(() => readChoice({ name: '--log-format', raw }, FORMATS, 'json')).toThrow(
    expect.objectContaining({
      code: 'CONFIG_INVALID',
      message: `--log-format must be one of json, pretty, auto, got "${raw}"`,
    }),
  );
});
