import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readSecret } from './read-secret.ts';

describe('readSecret', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-secret-'));
    await writeFile(join(dir, 'password'), 's3cretPW\n');
    await writeFile(join(dir, 'placeholder'), 'replace-me-with-a-long-random-string\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('from the variable, or from the file its _FILE names (one trailing newline dropped)', () => {
    expect(readSecret({ P: 's3cretPW' }, 'P')).toBe('s3cretPW');
    expect(readSecret({ P_FILE: join(dir, 'password') }, 'P')).toBe('s3cretPW');
    expect(readSecret({}, 'P')).toBeUndefined();
    expect(readSecret({ P: '' }, 'P')).toBeUndefined();
  });

  test('both, or an unreadable file: a ConfigError naming the variables, never the value', () => {
    expect(() => readSecret({ P: 's3cretPW', P_FILE: join(dir, 'password') }, 'P')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: 'set P or P_FILE, not both' }),
    );
    const missing = join(dir, 'missing');
    expect(() => readSecret({ P_FILE: missing }, 'P')).toThrow(
      `P_FILE: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'`,
    );
  });

  test('the shipped placeholder, in the variable or the file: SECRET_PLACEHOLDER naming where, never the value', () => {
    expect(() => readSecret({ P: 'replace-me-with-a-long-random-string' }, 'P', 'the Secret s')).toThrow(
      expect.objectContaining({
        code: 'SECRET_PLACEHOLDER',
        message: 'P is still the shipped placeholder; set it in the Secret s (k8s/README.md, Security)',
      }),
    );
    const file = join(dir, 'placeholder');
    expect(() => readSecret({ P_FILE: file }, 'P')).toThrow(
      expect.objectContaining({
        code: 'SECRET_PLACEHOLDER',
        message: `P_FILE (the file ${file}) is still the shipped placeholder; set a real value (k8s/README.md, Security)`,
      }),
    );
  });
});
