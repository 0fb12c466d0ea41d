import { describe, expect, test } from 'vitest';
import { readBoolean } from './read-boolean.ts';

describe('readBoolean', () => {
  test.each([
    ['true', true],
    ['TRUE', true],
    [' Yes ', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['0', false],
    [true, true],
    [false, false],
  ] as const)('%j is %s', (raw, value) => {
    expect(readBoolean({ name: 'X_INSECURE', raw })).toBe(value);
  });

  test('unset or blank is the fallback', () => {
    expect(readBoolean({ name: 'X', raw: undefined })).toBe(false);
    expect(readBoolean({ name: 'X', raw: '' }, true)).toBe(true);
    expect(readBoolean({ name: 'X', raw: '  ' }, false)).toBe(false);
  });

  test.each(['flase', 'on', '2'])('%j is a ConfigError naming the setting', (raw) => {
    expect(() => readBoolean({ name: 'X_INSECURE', raw })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: `X_INSECURE must be true or false (also yes/no, 1/0), got "${raw}"`,
      }),
    );
  });
});
