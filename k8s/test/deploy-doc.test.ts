import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import type { K8sObject } from './k8s-object.ts';
import { K8S_DIR, type RenderedVariant, renderedVariants } from './rendered-variants.ts';

let variants: readonly RenderedVariant[];
beforeAll(async () => {
  variants = await renderedVariants();
}, 120_000);

/**
 * k8s/README's "Deploy to your cluster" tells a platform team which Secrets to replace: every
 * Secret an overlay ships with a `replace-me` value must be in its table, on one row with each of
 * its keys, or the team deploys a placeholder the programs refuse.
 */
test('every replace-me Secret of every overlay is in the deploy steps, with its keys', () => {
  const rows = deployTableRows(readFileSync(join(K8S_DIR, 'README.md'), 'utf8'));
  const placeholders = variants.flatMap((v) => v.objects.filter(hasPlaceholder));
  expect(placeholders.map((s) => s.metadata.name)).toContain('scrape-job-credentials');
  expect(placeholders.filter((secret) => !documented(secret, rows)).map(describeSecret)).toEqual([]);
});

test('the check can fail: a Secret, or a key, missing from the table is reported', () => {
  const rows = ['| scrape-job | `scrape-job-credentials` | `DB_USER`, `DB_PASSWORD`: the login |'];
  const secret = (name: string, keys: string[]): K8sObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    stringData: Object.fromEntries(keys.map((key) => [key, 'replace-me'])),
  });
  expect(documented(secret('scrape-job-credentials', ['DB_USER', 'DB_PASSWORD']), rows)).toBe(true);
  expect(documented(secret('scrape-job-credentials', ['DB_USER', 'DB_HOST']), rows)).toBe(false);
  expect(documented(secret('other-credentials', ['DB_USER']), rows)).toBe(false);
});

// --- internal ---

function deployTableRows(readme: string): string[] {
  const start = readme.indexOf('\n## Deploy to your cluster\n');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(-1);
  return readme
    .slice(start, end)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|'));
}

function hasPlaceholder(object: K8sObject): boolean {
  return object.kind === 'Secret' && Object.values(valuesOf(object)).some((v) => v.startsWith('replace-me'));
}

function documented(secret: K8sObject, rows: string[]): boolean {
  const needed = [secret.metadata.name, ...Object.keys(valuesOf(secret))].map((name) => `\`${name}\``);
  return rows.some((row) => needed.every((name) => row.includes(name)));
}

function valuesOf(secret: K8sObject): Record<string, string> {
  const data = Object.entries((secret.data ?? {}) as Record<string, string>).map(
    ([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')] as const,
  );
  return { ...Object.fromEntries(data), ...((secret.stringData ?? {}) as Record<string, string>) };
}

function describeSecret(secret: K8sObject): string {
  return `Secret/${secret.metadata.name} (${Object.keys(valuesOf(secret)).join(', ')})`;
}
