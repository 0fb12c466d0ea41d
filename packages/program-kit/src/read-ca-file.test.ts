import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readCaFile } from './read-ca-file.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-ca-file-'));
  await writeFile(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('reads the file once, while the configuration is read', () => {
  const file = join(dir, 'ca.pem');
  expect(readCaFile({ name: '--ca-file', raw: file })).toEqual({
    file,
    pem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
  });
  expect(readCaFile({ name: '--ca-file', raw: '' })).toBeUndefined();
  expect(readCaFile({ name: '--ca-file', raw: undefined })).toBeUndefined();
});

test('an unreadable file is a ConfigError naming the setting and the file', () => {
  const missing = join(dir, 'missing.pem');
  expect(() => readCaFile({ name: 'X_CA_FILE', raw: missing })).toThrow(
    expect.objectContaining({
      code: 'CONFIG_INVALID',
      message: `X_CA_FILE: cannot read the CA file ${missing}: ENOENT: no such file or directory, open '${missing}'`,
    }),
  );
});
