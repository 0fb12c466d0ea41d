import { describe, expect, test } from 'vitest';
import { readBackDifferences } from './read-back-differences.ts';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hub', labels: { app: 'hub' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'hub', args: ['a', 'b'] }] } } },
};

describe('readBackDifferences', () => {
  test('server defaults and status are not differences', () => {
    const actual = structuredClone(deployment) as typeof deployment & Record<string, unknown>;
    (actual.metadata as Record<string, unknown>).uid = 'x';
    (actual.spec as Record<string, unknown>).revisionHistoryLimit = 10;
    actual.status = { replicas: 0 };
    expect(readBackDifferences(deployment, actual)).toEqual([]);
  });

  test('a changed value, a dropped field and a shortened list are each reported by path', () => {
    const actual = structuredClone(deployment);
    actual.spec.replicas = 2;
    delete (actual.metadata as { labels?: unknown }).labels;
    actual.spec.template.spec.containers[0] = { name: 'hub', args: ['a'] };
    expect(readBackDifferences(deployment, actual)).toEqual([
      '.metadata.labels: expected an object, got undefined',
      '.spec.replicas: expected 1, got 2',
      '.spec.template.spec.containers[0].args: expected ["a","b"], got ["a"]',
    ]);
  });

  test("a Secret's stringData is compared as the base64 data the server stores", () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { K: 'v' } };
    expect(readBackDifferences(secret, { ...secret, stringData: undefined, data: { K: 'dg==' } })).toEqual(
      [],
    );
    expect(readBackDifferences(secret, { ...secret, stringData: undefined, data: { K: 'dw==' } })).toEqual([
      '.data.K: expected "dg==", got "dw=="',
    ]);
  });
});
