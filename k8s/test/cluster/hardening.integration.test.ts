import { type LocalCluster, startLocalCluster } from '@scrapegrid/local-cluster';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { K8sObject } from '../k8s-object.ts';
import { podTemplates } from '../pod-templates.ts';
import { findObject } from '../policies/find-object.ts';
import { type RenderedVariant, renderedVariants } from '../rendered-variants.ts';
import { apiPatchWithToken } from './api-patch-with-token.ts';
import { CRD_NAMES, customResourceDefinitionFiles } from './custom-resource-definitions.ts';
import { kubeList } from './kube-list.ts';

/**
 * What the API server itself does with the hardening (k8s/README.md, "Security"), on one local
 * cluster: the overlays' namespace enforces Pod Security `restricted` and admits every object and
 * every pod of every overlay; the ValidatingAdmissionPolicy lets grid-exporter's ServiceAccount
 * change the deletion-cost annotation of a pool's pod and nothing else.
 */
const NAMESPACE = 'scrapegrid';
const variants = await renderedVariants();
const exporterOverlay = variantNamed('grid-keda-exporter');

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
  // The overlays' own Namespace object, as `kubectl apply -k` would create it first.
  await cluster.kubectl(['apply', '--server-side', '-f', '-'], {
    input: kubeList([findObject(exporterOverlay.objects, 'Namespace', NAMESPACE)]),
  });
  await waitFor('the namespace default ServiceAccount', async () =>
    (await cluster.kubectlResult(['get', '-n', NAMESPACE, 'serviceaccount', 'default'])).code === 0
      ? true
      : undefined,
  );
}, 600_000);
afterAll(async () => {
  await cluster?.stop();
}, 120_000);

describe('Pod Security restricted, enforced by the namespace the overlays create', () => {
  test('the namespace carries the labels, and a pod outside the profile is refused', async () => {
    const labels = JSON.parse(
      await cluster.kubectl(['get', 'namespace', NAMESPACE, '-o', 'jsonpath={.metadata.labels}']),
    );
    expect(labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    // The counter-example: the same kind of pod without a securityContext.
    const refused = await cluster.kubectlResult(['create', '--dry-run=server', '-n', NAMESPACE, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'unhardened' },
        spec: { containers: [{ name: 'c', image: 'selenium/hub:4.48.0-20260905' }] },
      }),
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  test.each(variants.map((v) => [v.name, v] as const))(
    '%s: every object and every pod it makes is admitted, without a Pod Security warning',
    async (_name, variant) => {
      // ServiceAccounts for real: a pod naming one that does not exist is refused before Pod
      // Security is asked. Everything else through the whole admission chain, not persisted.
      const accounts = variant.objects.filter((o) => o.kind === 'ServiceAccount');
      if (accounts.length > 0)
        await cluster.kubectl(['apply', '--server-side', '-n', NAMESPACE, '-f', '-'], {
          input: kubeList(accounts),
        });
      const objects = await cluster.kubectlResult(
        ['apply', '--server-side', '--dry-run=server', '-n', NAMESPACE, '-f', '-'],
        { input: kubeList(variant.objects) },
      );
      expect(objects.stderr).toBe('');
      expect(objects.code).toBe(0);
      expect(objects.stdout.trim().split('\n')).toHaveLength(variant.objects.length);
      const pods = podsOf(variant.objects);
      expect(pods.length).toBeGreaterThanOrEqual(1);
      const admitted = await cluster.kubectlResult(
        ['create', '--dry-run=server', '-n', NAMESPACE, '-f', '-'],
        {
          input: kubeList(pods),
        },
      );
      expect(admitted.stderr).toBe('');
      expect(admitted.code).toBe(0);
      expect(admitted.stdout.trim().split('\n')).toHaveLength(pods.length);
    },
    120_000,
  );
});

describe("grid-exporter's pod patch, narrowed by the ValidatingAdmissionPolicy", () => {
  const AS_EXPORTER = `--as=system:serviceaccount:${NAMESPACE}:grid-exporter`;
  const COST = 'controller.kubernetes.io/pod-deletion-cost';
  const node = 'selenium-node-chrome-held';
  const hub = 'selenium-hub-held';
  let token: string;
  /** As grid-exporter (its own token) or, for the controls, as the admin. */
  const patch = async (
    asExporter: boolean,
    pod: string,
    type: 'merge' | 'json',
    body: unknown,
    dryRun = true,
  ) => {
    if (asExporter)
      return apiPatchWithToken(cluster, token, `/api/v1/namespaces/${NAMESPACE}/pods/${pod}`, {
        type,
        body,
        dryRun,
      });
    const admin = await cluster.kubectlResult([
      'patch',
      '-n',
      NAMESPACE,
      `pod/${pod}`,
      `--type=${type}`,
      '-p',
      JSON.stringify(body),
      ...(dryRun ? ['--dry-run=server'] : []),
    ]);
    return { status: admin.code === 0 ? 200 : 0, body: admin.stderr };
  };
  const annotate = (key: string, value: string | null) => ({ metadata: { annotations: { [key]: value } } });

  beforeAll(async () => {
    const wanted = [
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ];
    const objects = exporterOverlay.objects.filter((o) => wanted.includes(o.kind));
    expect(objects.map((o) => o.kind).sort()).toEqual([...wanted].sort());
    await cluster.kubectl(['apply', '--server-side', '-n', NAMESPACE, '-f', '-'], {
      input: kubeList(objects),
    });
    // A chrome pool pod and the hub's pod, as their Deployments make them, held by a scheduling
    // gate: the API objects are what is patched, nothing needs to run.
    const held = podsOf(exporterOverlay.objects)
      .filter((p) =>
        ['selenium-node-chrome', 'selenium-hub'].includes(
          p.metadata.labels?.['app.kubernetes.io/name'] ?? '',
        ),
      )
      .map((p) => ({
        ...p,
        metadata: { ...p.metadata, name: `${p.metadata.labels?.['app.kubernetes.io/name']}-held` },
        spec: { ...p.spec, schedulingGates: [{ name: 'scrapegrid/held' }] },
      }));
    expect(held.map((p) => p.metadata.name).sort()).toEqual([node, hub].sort());
    await cluster.kubectl(['create', '-n', NAMESPACE, '-f', '-'], { input: kubeList(held) });
    token = (await cluster.kubectl(['create', 'token', '-n', NAMESPACE, 'grid-exporter'])).trim();
    // The policy takes effect once the API server has loaded it: until a label patch is refused.
    await waitFor('the admission policy to be in force', async () =>
      (await patch(true, node, 'merge', { metadata: { labels: { stolen: 'traffic' } } })).status === 422
        ? true
        : undefined,
    );
  }, 120_000);

  test('RBAC lets the ServiceAccount patch pods (the policy is what narrows it)', async () => {
    const canI = await cluster.kubectlResult([
      AS_EXPORTER,
      'auth',
      'can-i',
      'patch',
      'pods',
      '-n',
      NAMESPACE,
    ]);
    expect(canI.stdout.trim()).toBe('yes');
  });

  test('the deletion-cost annotation on a pool pod is admitted, set, changed and removed', async () => {
    for (const value of ['-7', '3']) {
      // As grid-exporter's controller sends it: a merge patch carrying the resourceVersion it read.
      const before = JSON.parse(
        await cluster.kubectl(['get', '-n', NAMESPACE, `pod/${node}`, '-o', 'json']),
      ) as K8sObject;
      const body = {
        metadata: { resourceVersion: before.metadata.resourceVersion, annotations: { [COST]: value } },
      };
      const set = await patch(true, node, 'merge', body, false);
      expect(set.status, set.body).toBe(200);
      const read = await cluster.kubectl(['get', '-n', NAMESPACE, `pod/${node}`, '-o', 'json']);
      expect((JSON.parse(read) as K8sObject).metadata.annotations).toMatchObject({ [COST]: value });
    }
    const removed = await patch(true, node, 'merge', annotate(COST, null), false);
    expect(removed.status, removed.body).toBe(200);
    const read = await cluster.kubectl(['get', '-n', NAMESPACE, `pod/${node}`, '-o', 'json']);
    const annotations = (JSON.parse(read) as K8sObject).metadata.annotations as
      | Record<string, string>
      | undefined;
    expect(annotations?.[COST]).toBeUndefined();
  });

  test.each([
    [
      'a label on a pool pod',
      node,
      'merge',
      { metadata: { labels: { 'app.kubernetes.io/name': 'selenium-hub' } } },
      /may not change a pod's labels/,
    ],
    [
      'the image of a pool pod',
      node,
      'json',
      [{ op: 'replace', path: '/spec/containers/0/image', value: 'evil/chrome:1' }],
      /may not change a pod's labels, finalizers, owners or spec/,
    ],
    [
      'another annotation on a pool pod',
      node,
      'merge',
      { metadata: { annotations: { 'prometheus.io/scrape': 'true' } } },
      /may change no annotation but controller.kubernetes.io\/pod-deletion-cost/,
    ],
    [
      'the deletion cost of a pod outside the pools',
      hub,
      'merge',
      { metadata: { annotations: { [COST]: '-7' } } },
      /only annotate pods of the browser-node pools, not selenium-hub-held/,
    ],
  ] as const)('refused: %s', async (_what, pod, type, body, message) => {
    // 422 (Invalid: the admission policy), not 403 (RBAC): the Role allows the patch.
    const refused = await patch(true, pod, type, body);
    expect(refused.status, refused.body).toBe(422);
    expect(refused.body).toMatch(/ValidatingAdmissionPolicy 'scrapegrid-grid-exporter-pod-deletion-cost'/);
    expect(refused.body).toMatch(message);
    // The same request by the admin is admitted: the policy binds grid-exporter's identity only.
    const admin = await patch(false, pod, type, body);
    expect(admin.body).toBe('');
    expect(admin.status).toBe(200);
  });

  test('deleting a pod stays forbidden by RBAC', async () => {
    const deleted = await cluster.kubectlResult([
      AS_EXPORTER,
      'delete',
      '-n',
      NAMESPACE,
      `pod/${node}`,
      '--dry-run=server',
    ]);
    expect(deleted.code).not.toBe(0);
    expect(deleted.stderr).toMatch(/forbidden/);
  });
});

// --- internal ---

function variantNamed(name: string): RenderedVariant {
  const found = variants.find((v) => v.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
}

/**
 * Each workload's pod as its controller would create it (name, namespace, labels, spec). A
 * StatefulSet's controller adds a volume per volumeClaimTemplate (claim `<template>-<set>-<ordinal>`),
 * which its containers mount by the template's name.
 */
function podsOf(objects: readonly K8sObject[]): K8sObject[] {
  return podTemplates(objects).map((pod) => {
    const claims: { metadata: { name: string } }[] =
      pod.owner.kind === 'StatefulSet' ? (pod.owner.spec.volumeClaimTemplates ?? []) : [];
    const claimVolumes = claims.map((c) => ({
      name: c.metadata.name,
      persistentVolumeClaim: { claimName: `${c.metadata.name}-${pod.owner.metadata.name}-0` },
    }));
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${pod.owner.metadata.name}-admission`,
        namespace: NAMESPACE,
        labels: pod.labels,
        annotations: pod.annotations,
      },
      spec:
        claimVolumes.length === 0
          ? pod.spec
          : { ...pod.spec, volumes: [...(pod.spec.volumes ?? []), ...claimVolumes] },
    };
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
