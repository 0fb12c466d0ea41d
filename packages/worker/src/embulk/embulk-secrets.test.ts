import { describe, expect, test } from 'vitest';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { embulkSecrets } from './embulk-secrets.ts';

// Which values runEmbulk masks: the secrets only, never a host, port, user, database or path.

const ENV = {
  DB_HOST: 'db.internal',
  DB_PORT: '5432',
  DB_USER: 'scrapegrid',
  DB_NAME: 'scrapegrid',
  DB_PASSWORD: 'pw-Secret-123',
  PGPASSWORD: 'other-pw-456',
  API_TOKEN: 'tok-789',
  SIGNING_KEY: 'k-0001',
  UNUSED_PASSWORD: 'never-referenced',
  PWD: '/var/cache/scrapegrid',
};

function secretsOf(embulk: string, env: Record<string, string> = ENV): string[] {
  const spec = parseJobSpec(
    `version: 1
name: secrets
start: { urls: ['http://127.0.0.1:8080/'] }
items: { selector: li, fields: { s: { css: .s } } }
embulk:
${embulk}`,
    { env },
  );
  return embulkSecrets(spec.embulk!, env);
}

describe('embulkSecrets', () => {
  test('a database output: only the password, not the host, port, user or database name', () => {
    expect(
      secretsOf(`  out:
    type: postgresql
    host: \${env:DB_HOST}
    port: \${env:DB_PORT}
    user: \${env:DB_USER}
    password: \${env:DB_PASSWORD}
    database: \${env:DB_NAME}
    table: products`),
    ).toEqual(['pw-Secret-123']);
  });

  test('a secret-named variable inside a URL; a secret-named setting that holds a literal', () => {
    expect(
      secretsOf(`  out:
    type: jdbc
    url: 'jdbc:postgresql://\${env:DB_HOST}/\${env:DB_NAME}?user=\${env:DB_USER}&password=\${env:PGPASSWORD}'
    auth_token: literal-in-the-spec
    headers: [{ Authorization: 'Bearer \${env:API_TOKEN}' }]
  extra:
    exec: { signing: '\${env:SIGNING_KEY}' }`),
    ).toEqual(['literal-in-the-spec', 'other-pw-456', 'tok-789', 'k-0001']);
  });

  test('cloud credentials by setting name; a column setting named key is not a secret', () => {
    expect(
      secretsOf(`  out:
    type: s3
    bucket: scrapegrid
    path_prefix: /var/cache/scrapegrid/out
    access_key_id: AKIAEXAMPLE
    secret_access_key: wJalrXUtnFEMI
    apiKey: ak-1
    key_column: id
    sort_key: updated_at`),
    ).toEqual(['wJalrXUtnFEMI', 'AKIAEXAMPLE', 'ak-1']);
  });

  test('no secret at all: nothing is masked (the shell PWD in a path is not a password)', () => {
    expect(
      secretsOf(`  out:
    type: file
    path_prefix: /var/cache/scrapegrid/out
    file_ext: jsonl`),
    ).toEqual([]);
  });
});
