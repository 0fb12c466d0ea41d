import { beforeAll, describe, expect, test } from 'vitest';
import { customResourceUnknownFields } from './custom-resource-unknown-fields.ts';
import { describeObject } from './k8s-object.ts';
import { BESIDE_A_GRID, OVERLAYS, type RenderedVariant, renderedVariants } from './rendered-variants.ts';
import { schemaErrors } from './schema-errors.ts';
import { unknownFields } from './unknown-fields.ts';

let all: readonly RenderedVariant[];
beforeAll(async () => {
  all = await renderedVariants();
}, 120_000);

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  test('renders with kubectl kustomize, and so do its optional components', () => {
    const variants = all.filter((v) => v.overlay === overlay);
    expect(variants.length).toBeGreaterThan(0);
    for (const variant of variants) expect(variant.objects.length).toBeGreaterThan(0);
  });

  test('every object validates against its Kubernetes / KEDA / prometheus-operator schema', () => {
    const variants = all.filter((v) => v.overlay === overlay);
    const errors = variants.flatMap((v) =>
      v.objects.flatMap((o) => schemaErrors(o).map((e) => `${v.name} ${describeObject(o)}: ${e}`)),
    );
    expect(errors).toEqual([]);
  });

  test('no object has a field its API (built-in or CRD) does not declare', () => {
    const variants = all.filter((v) => v.overlay === overlay);
    const unknown = variants.flatMap((v) =>
      v.objects.flatMap((o) =>
        [...unknownFields(o), ...customResourceUnknownFields(o)].map((f) => `${v.name} ${f}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  test('every namespaced object lands in the scrapegrid namespace; cluster-scoped ones carry none', () => {
    const variants = all.filter((v) => v.overlay === overlay);
    const stray = variants.flatMap((v) =>
      v.objects
        .filter((o) => o.metadata.namespace !== (CLUSTER_SCOPED.has(o.kind) ? undefined : 'scrapegrid'))
        .map((o) => `${v.name} ${describeObject(o)}`),
    );
    expect(stray).toEqual([]);
  });

  test('the overlay creates its namespace with the Pod Security Standard restricted enforced', () => {
    for (const variant of all.filter((v) => v.overlay === overlay)) {
      const grids = BESIDE_A_GRID[overlay];
      if (grids !== undefined) {
        // Applied into a Grid overlay's namespace: that one made it, and `kubectl delete -k` of
        // this overlay must not delete it.
        expect(
          variant.objects
            .filter((o) => o.kind === 'Namespace' || o.kind === 'NetworkPolicy')
            .map((o) => o.metadata.name)
            .sort(),
        ).toEqual(['scrape-job-to-selenium-hub', 'selenium-hub-from-scrape-job']);
        for (const grid of grids)
          expect(
            all.find((v) => v.name === grid)?.objects.filter((o) => o.kind === 'Namespace'),
          ).toHaveLength(1);
        continue;
      }
      const namespaces = variant.objects.filter((o) => o.kind === 'Namespace');
      expect(namespaces.map((n) => n.metadata.name)).toEqual(['scrapegrid']);
      expect(namespaces[0]?.metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      });
    }
  });
});

/** The kinds the overlays ship that have no namespace (the API server ignores one set on them). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'PersistentVolume',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

describe('the validators can fail', () => {
  test('a field a CRD type reached through an alias does not declare is reported (TriggerAuthentication)', () => {
    const unknown = customResourceUnknownFields({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: 'x' },
      spec: { secretTargetRef: [{ parameter: 'password', name: 's', keyy: 'k' }] },
    });
    expect(unknown).toEqual(['TriggerAuthentication.spec.secretTargetRef[0].keyy']);
  });

  test('a schema error is reported', () => {
    const errors = schemaErrors({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'x' },
      spec: { scaleTargetRef: { name: 'x' }, minReplicaCount: 'zero', triggers: [] },
    });
    expect(errors.join('\n')).toMatch(/minReplicaCount/);
  });

  test('an unknown kind is reported, not skipped', () => {
    expect(schemaErrors({ apiVersion: 'v1', kind: 'Pod2', metadata: { name: 'x' } })).toHaveLength(1);
  });

  test('a misspelt field is reported with its path', () => {
    const unknown = unknownFields({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'i:1', readynessProbe: {} }] } } },
    });
    expect(unknown).toEqual(['Deployment.spec.template.spec.containers[0].readynessProbe']);
  });

  test('a field a CRD does not declare is reported with its path, down into nested API types', () => {
    const unknown = customResourceUnknownFields({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'x' },
      spec: {
        scaleTargetRef: { name: 'x' },
        triggers: [{ type: 'metrics-api', metadata: { url: 'u' }, metricTyp: 'AverageValue' }],
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindow: 60 } } } },
      },
    });
    expect(unknown).toEqual([
      'ScaledObject.spec.triggers[0].metricTyp',
      'ScaledObject.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindow',
    ]);
  });
});

test("scrape-job-cron's CronJob runs exactly the scrape-job overlay's Job, and no Job by itself", () => {
  const job = all.find((v) => v.name === 'scrape-job')?.objects.find((o) => o.kind === 'Job');
  const cron = all.find((v) => v.name === 'scrape-job-cron')?.objects;
  expect(cron?.some((o) => o.kind === 'Job')).toBe(false);
  const cronJob = cron?.find((o) => o.kind === 'CronJob');
  expect(cronJob?.spec.jobTemplate.spec).toEqual(job?.spec);
  // Everything else (RBAC, ConfigMap, Secret) is the same as the Job's overlay.
  const others = (objects: readonly { kind: string }[] | undefined) =>
    objects?.filter((o) => !o.kind.endsWith('Job'));
  expect(others(cron)).toEqual(others(all.find((v) => v.name === 'scrape-job')?.objects));
});

test("grid-keda-scaledjob's ScaledJob runs grid-keda's chrome node pod, as one-session Jobs that never restart", () => {
  const objects = all.find((v) => v.name === 'grid-keda-scaledjob')?.objects ?? [];
  // The pool is the ScaledJob alone: no node Deployment, no ScaledObject.
  expect(objects.filter((o) => o.kind !== 'NetworkPolicy').map(describeObject)).toEqual([
    'Namespace/scrapegrid',
    'Secret/selenium-grid-registration',
    'Secret/selenium-grid-router',
    'Service/selenium-hub',
    'Deployment/selenium-hub',
    'ScaledJob/selenium-node-chrome',
    'TriggerAuthentication/selenium-hub-router',
  ]);
  const scaledJob = objects.find((o) => o.kind === 'ScaledJob');
  const deployment = all
    .find((v) => v.name === 'grid-keda')
    ?.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'selenium-node-chrome');
  const { restartPolicy, ...spec } = scaledJob?.spec.jobTargetRef.template.spec ?? {};
  const [node, ...others] = spec.containers ?? [];
  const [deploymentNode] = deployment?.spec.template.spec.containers ?? [];
  expect(restartPolicy).toBe('Never');
  expect(others).toEqual([]);
  expect(node.env.at(-1)).toEqual({ name: 'SE_DRAIN_AFTER_SESSION_COUNT', value: '1' });
  expect({ ...node, env: node.env.slice(0, -1) }).toEqual(deploymentNode);
  expect({ ...spec, containers: [deploymentNode] }).toEqual(deployment?.spec.template.spec);
  expect(scaledJob?.spec.jobTargetRef.template.metadata).toEqual(deployment?.spec.template.metadata);
  expect(scaledJob?.spec.triggers).toEqual([
    {
      type: 'selenium-grid',
      authenticationRef: { name: 'selenium-hub-router' },
      metadata: {
        url: 'http://selenium-hub.scrapegrid.svc.cluster.local:4444/graphql',
        browserName: 'chrome',
        sessionBrowserName: 'chrome',
        platformName: 'linux',
        nodeMaxSessions: '1',
        includeOngoingSessions: 'false',
      },
    },
  ]);
});

describe('the two ways of running the Grid beside the worker', () => {
  const podOf = (name: string) => {
    const objects = all.find((v) => v.name === name)?.objects ?? [];
    return { objects, spec: objects.find((o) => o.kind === 'Job')?.spec.template.spec };
  };
  const names = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name);

  test('scrape-job-native: hub then chrome as native sidecars with startup probes, the worker alone as main container, no RBAC', () => {
    const { objects, spec } = podOf('scrape-job-native');
    expect(names(spec.initContainers)).toEqual(['hub', 'chrome']);
    for (const sidecar of spec.initContainers) {
      expect(sidecar.restartPolicy).toBe('Always');
      expect(sidecar.startupProbe).toBeDefined();
      expect(sidecar.command).toBeUndefined();
    }
    expect(spec.initContainers[1].startupProbe.exec.command.join(' ')).toMatch(/registered/);
    expect(names(spec.containers)).toEqual(['worker']);
    expect(spec.serviceAccountName).toBeUndefined();
    expect(objects.filter((o) => ['Role', 'RoleBinding', 'ServiceAccount'].includes(o.kind))).toEqual([]);
  });

  test('scrape-job: worker, hub and chrome as containers, the reaper installed first and wrapping both sidecars', () => {
    const { spec } = podOf('scrape-job');
    expect(names(spec.initContainers)).toEqual(['pod-tools-install']);
    expect(names(spec.containers).sort()).toEqual(['chrome', 'hub', 'worker']);
    const [worker, ...sidecars] = ['worker', 'hub', 'chrome'].map((n) =>
      spec.containers.find((c: { name: string }) => c.name === n),
    );
    expect(worker.command).toBeUndefined();
    for (const sidecar of sidecars) {
      expect(sidecar.command).toEqual(['/scrapegrid/bin/sidecar-reaper', '--', '/opt/bin/entry_point.sh']);
    }
    expect(spec.serviceAccountName).toBe('sidecar-reaper');
  });
});
