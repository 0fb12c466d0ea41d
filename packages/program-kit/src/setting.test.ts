import { expect, test } from 'vitest';
import { pickSetting } from './setting.ts';

test('the flag wins and is named; else the variable', () => {
  const env = { X_PORT: '1', X_INSECURE: 'yes' };
  expect(pickSetting({ port: '2' }, 'port', env, 'X_PORT')).toEqual({ name: '--port', raw: '2' });
  expect(pickSetting({ port: undefined }, 'port', env, 'X_PORT')).toEqual({ name: 'X_PORT', raw: '1' });
  expect(pickSetting({ insecure: false }, 'insecure', env, 'X_INSECURE')).toEqual({
    name: '--insecure',
    raw: false,
  });
  expect(pickSetting({ insecure: undefined }, 'insecure', {}, 'X_INSECURE')).toEqual({
    name: 'X_INSECURE',
    raw: undefined,
  });
});
