import { type LocalCluster, startLocalCluster } from '@scrapegrid/local-cluster';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeObject, type K8sObject } from '../k8s-object.ts';
import { renderedVariants } from '../rendered-variants.ts';
import { CRD_NAMES, customResourceDefinitionFiles } from './custom-resource-definitions.ts';
import { kubeList } from './kube-list.ts';
import { readBackDifferences } from './read-back-differences.ts';

const NAMESPACE = 'scrapegrid';
const variants = await renderedVariants();

/** `kind.group/name`: what `kubectl get` takes for any object, custom resources included. */
function resourceOf(object: K8sObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${object.kind.toLowerCase()}${group ? `.${group}` : ''}/${object.metadata.name}`;
}

describe('every overlay on a real API server', () => {
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await startLocalCluster();
    for (const file of await customResourceDefinitionFiles())
      await cluster.kubectl(['apply', '--server-side', '-f', file]);
    await cluster.kubectl([
      'wait',
      '--for=condition=Established',
      '--timeout=60s',
      ...CRD_NAMES.map((n) => `crd/${n}`),
    ]);
    await cluster.kubectl(['create', 'namespace', NAMESPACE]);
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  test('the variants cover every overlay, shipped and with its optional components', () => {
    expect(variants.map((v) => v.name)).toEqual([
      'scrape-job',
      'scrape-job-native',
      'scrape-job-cron',
      'scrape-job-shared-grid',
      'grid-keda',
      'grid-keda+optional',
      'grid-keda-exporter',
      'grid-keda-exporter+optional',
      'grid-keda-push',
      'grid-keda-push+optional',
      'grid-keda-scaledjob',
      'demo',
    ]);
  });

  test.each(variants.map((v) => [v.name, v] as const))(
    '%s is applied server-side, reads back as rendered and deletes cleanly',
    async (_name, variant) => {
      const list = kubeList(variant.objects);
      // scrape-job-shared-grid brings no Namespace (it goes into a Grid overlay's), and the
      // variant before it deleted its own: make the namespace as a user's Grid overlay would.
      if (
        !variant.objects.some((o) => o.kind === 'Namespace') &&
        (await cluster.kubectlResult(['get', 'namespace', NAMESPACE])).code !== 0
      )
        await cluster.kubectl(['create', 'namespace', NAMESPACE]);
      // Server-side apply: the API server validates every field against its schemas (CRDs'
      // included), and admission (RBAC escalation checks, Pod Security labels…) runs for real.
      const applied = await cluster.kubectl(
        ['apply', '--server-side', '--field-manager=scrapegrid-test', '-n', NAMESPACE, '-f', '-'],
        {
          input: list,
        },
      );
      expect(applied.trim().split('\n')).toHaveLength(variant.objects.length);

      for (const object of variant.objects) {
        const actual = JSON.parse(
          await cluster.kubectl(['get', '-n', NAMESPACE, resourceOf(object), '-o', 'json']),
        ) as K8sObject;
        expect(readBackDifferences(object, actual), describeObject(object)).toEqual([]);
      }

      await cluster.kubectl(
        ['delete', '-n', NAMESPACE, '--wait=true', '--cascade=foreground', '--timeout=120s', '-f', '-'],
        {
          input: list,
          timeoutMs: 180_000,
        },
      );
      for (const object of variant.objects) {
        const left = await cluster.kubectlResult([
          'get',
          '-n',
          NAMESPACE,
          resourceOf(object),
          '--ignore-not-found',
          '-o',
          'name',
        ]);
        expect(left.stdout.trim(), describeObject(object)).toBe('');
      }
      // Nothing the objects made (Jobs' and ReplicaSets' pods) outlives them.
      expect(
        (await cluster.kubectl(['get', 'pods,replicasets,jobs', '-n', NAMESPACE, '-o', 'name'])).trim(),
      ).toBe('');
    },
    300_000,
  );
});
