import { describe, expect, test } from 'vitest';
import { readInteger } from './read-integer.ts';

const error = (message: string) => expect.objectContaining({ code: 'CONFIG_INVALID', message });

describe('readInteger', () => {
  test.each([
    ['0', 0],
    ['65535', 65535],
    [' 8080 ', 8080],
    [undefined, 9010],
  ])('%j is %s', (raw, value) => {
    expect(readInteger({ name: 'PORT', raw }, { fallback: 9010, min: 0, max: 65535 })).toBe(value);
  });

  test.each(['2.0', '1e3', '0x10', '65536', '-1', 'x'])('%j is a ConfigError', (raw) => {
    expect(() => readInteger({ name: '--port', raw }, { fallback: 1, min: 0, max: 65535 })).toThrow(
      error(`--port must be an integer from 0 to 65535, got "${raw}"`),
    );
  });
});
