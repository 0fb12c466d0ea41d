import { parse as parseYaml } from 'yaml';
import { describeObject, type K8sObject } from '../k8s-object.ts';
import { envValue, podTemplates } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * Every ScaledObject scales a Deployment of the same overlay and namespace (a ScaledJob's
 * pods are its own jobTargetRef.template), and its trigger
 * reads from a Service of the same overlay: the hub's GraphQL (selenium-grid) or grid-exporter's
 * /pools/<name> (metrics-api), or its gRPC scaler address with a `pool` (external-push), for a pool that exists in the exporter's pools file and whose podSelector selects
 * the target's pods. Trigger metadata uses only keys the trigger knows (KEDA ignores a misspelt
 * key silently), nodeMaxSessions equals the nodes' SE_NODE_MAX_SESSIONS, the replica counts pass
 * KEDA's own check, and the hub's new-session thread pool covers every node the ScaledObjects and
 * ScaledJobs may start.
 */
export const kedaPolicy: Policy = {
  name: 'ScaledObjects and ScaledJobs target pods and a Service of the overlay, consistently',
  check: (objects) =>
    objects
      .filter((o) => SCALED_KINDS.includes(o.kind))
      .flatMap((scaled) =>
        [...checkReplicaCounts(scaled), ...checkScaledObject(objects, scaled)].map(
          (p) => `${describeObject(scaled)}: ${p}`,
        ),
      )
      .concat(checkThreadPool(objects)),
  counterExample: {
    variant: 'grid-keda-exporter',
    breakIt(objects) {
      const scaled = findObject(objects, 'ScaledObject', 'selenium-node-chrome');
      scaled.spec.scaleTargetRef.name = 'selenium-node-chromium';
      scaled.spec.triggers[0].metadata.valueLocaton = 'desiredNodes';
    },
  },
};

// --- internal ---

const SCALED_KINDS = ['ScaledObject', 'ScaledJob'];

/** KEDA's default maxReplicaCount, for ScaledObjects and ScaledJobs alike. */
const DEFAULT_MAX_REPLICAS = 100;

interface Trigger {
  type: string;
  metadata: Record<string, string>;
}

const KNOWN_METADATA: Record<string, string[]> = {
  'selenium-grid': [
    'url',
    'browserName',
    'sessionBrowserName',
    'browserVersion',
    'platformName',
    'nodeMaxSessions',
    'activationThreshold',
    'enableManagedDownloads',
    'capabilities',
    'unsafeSsl',
    'includeOngoingSessions',
  ],
  'metrics-api': [
    'url',
    'format',
    'valueLocation',
    'targetValue',
    'activationTargetValue',
    'authMode',
    'unsafeSsl',
    'method',
  ],
  // KEDA passes every key to the scaler; grid-exporter's reads `pool` (external-scaler-server.ts).
  'external-push': ['scalerAddress', 'pool'],
};

function checkScaledObject(objects: readonly K8sObject[], scaled: K8sObject): string[] {
  const target = targetOf(objects, scaled);
  if (typeof target === 'string') return [target];
  const node = podTemplates([target])[0]?.spec.containers?.[0];
  if (node === undefined) return [`${describeObject(target)} has no pod template with a container`];
  const nodeMaxSessions = envValue(node, 'SE_NODE_MAX_SESSIONS') ?? '1';
  return ((scaled.spec.triggers ?? []) as Trigger[]).flatMap((trigger): string[] => {
    const known = KNOWN_METADATA[trigger.type];
    if (known === undefined)
      return [`trigger type ${trigger.type} is not one of ${Object.keys(KNOWN_METADATA)}`];
    const problems = Object.keys(trigger.metadata ?? {})
      .filter((key) => !known.includes(key))
      .map((key) => `${trigger.type} trigger has unknown metadata ${key}`);
    const url =
      trigger.type === 'external-push'
        ? new URL(`grpc://${trigger.metadata.scalerAddress}/pools/${trigger.metadata.pool}`)
        : new URL(trigger.metadata.url ?? '');
    const service = serviceFor(objects, url);
    if (service === undefined) return [...problems, `trigger url ${url} names no Service of the overlay`];
    if (trigger.type === 'selenium-grid') {
      if (service.metadata.labels?.['app.kubernetes.io/component'] !== 'hub')
        problems.push(`${url} is not the hub`);
      if (url.pathname !== '/graphql') problems.push(`${url} is not the GraphQL endpoint`);
      if ((trigger.metadata.nodeMaxSessions ?? '1') !== nodeMaxSessions) {
        problems.push(
          `nodeMaxSessions ${trigger.metadata.nodeMaxSessions} but the nodes run ${nodeMaxSessions}`,
        );
      }
    } else {
      problems.push(...checkPool(objects, service, url, target));
    }
    return problems;
  });
}

/**
 * A ScaledObject's replica counts as KEDA 2.21 checks them (`CheckReplicaCountBoundsAreValid`:
 * it answers `ScaledObjectCheckFailed` and never scales the object), a minReplicaCount of 0 read
 * as the HPA's 1 as KEDA reads it; and idleReplicaCount 0 when set (components/burst-start), the
 * only value KEDA's documentation supports, since the HPA cannot hold a target at another.
 */
function checkReplicaCounts(scaled: K8sObject): string[] {
  if (scaled.kind !== 'ScaledObject') return [];
  const spec = scaled.spec;
  const min = spec.minReplicaCount === undefined ? 0 : Math.max(spec.minReplicaCount, 1);
  const max = spec.maxReplicaCount ?? DEFAULT_MAX_REPLICAS;
  const problems = min > max ? [`minReplicaCount ${min} > maxReplicaCount ${max}`] : [];
  const idle = spec.idleReplicaCount;
  if (idle !== undefined && (idle !== 0 || idle >= min))
    problems.push(`idleReplicaCount ${idle} must be 0 and below minReplicaCount ${min}`);
  return problems;
}

/**
 * The object whose pods a scaler makes: a ScaledJob its own (jobTargetRef.template), a
 * ScaledObject the Deployment of its scaleTargetRef; or what is wrong with the reference.
 */
function targetOf(objects: readonly K8sObject[], scaled: K8sObject): K8sObject | string {
  if (scaled.kind === 'ScaledJob') return scaled;
  const namespace = scaled.metadata.namespace;
  const ref = scaled.spec.scaleTargetRef ?? {};
  if ((ref.kind ?? 'Deployment') !== 'Deployment' || (ref.apiVersion ?? 'apps/v1') !== 'apps/v1') {
    return `targets a ${ref.kind}, not a Deployment`;
  }
  const target = objects.find(
    (o) => o.kind === 'Deployment' && o.metadata.name === ref.name && o.metadata.namespace === namespace,
  );
  return target ?? `targets Deployment/${ref.name}, which is not in the overlay`;
}

/** `http://<service>.<namespace>.svc.cluster.local:<port>/…` → that Service, when it serves that port. */
function serviceFor(objects: readonly K8sObject[], url: URL): K8sObject | undefined {
  const [name, namespace, svc] = url.hostname.split('.');
  if (svc !== 'svc') return undefined;
  return objects.find(
    (o) =>
      o.kind === 'Service' &&
      o.metadata.name === name &&
      o.metadata.namespace === namespace &&
      (o.spec.ports ?? []).some((p: { port: number }) => String(p.port) === url.port),
  );
}

function checkPool(objects: readonly K8sObject[], service: K8sObject, url: URL, target: K8sObject): string[] {
  if (service.metadata.labels?.['app.kubernetes.io/name'] !== 'grid-exporter')
    return [`${url} is not grid-exporter`];
  const poolName = /^\/pools\/([^/]+)$/.exec(url.pathname)?.[1];
  if (poolName === undefined) return [`${url} is not a /pools/<name> endpoint`];
  const exporter = findObject(objects, 'Deployment', 'grid-exporter');
  const volume = exporter.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'pools');
  const configMap = findObject(objects, 'ConfigMap', volume.configMap.name);
  const pools = parseYaml(configMap.data['pools.yaml']) as {
    name: string;
    kubernetes?: { namespace: string; podSelector: string };
  }[];
  const pool = pools.find((p) => p.name === poolName);
  if (pool === undefined) return [`pool ${poolName} is not in the exporter's pools file`];
  if (pool.kubernetes === undefined) return [];
  const selector = Object.fromEntries(pool.kubernetes.podSelector.split(',').map((pair) => pair.split('=')));
  const [pod] = podTemplates([target]);
  const selects =
    pool.kubernetes.namespace === target.metadata.namespace &&
    Object.entries(selector).every(([key, value]) => pod?.labels[key] === value);
  return selects ? [] : [`pool ${poolName}'s podSelector does not select ${describeObject(target)}'s pods`];
}

function checkThreadPool(objects: readonly K8sObject[]): string[] {
  const scaled = objects.filter((o) => SCALED_KINDS.includes(o.kind));
  if (scaled.length === 0) return [];
  const hub = objects.find(
    (o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'hub',
  );
  if (hub === undefined) return ['ScaledObjects or ScaledJobs but no hub Deployment'];
  const size = Number(envValue(hub.spec.template.spec.containers[0], 'SE_NEW_SESSION_THREAD_POOL_SIZE'));
  const needed = scaled.reduce((sum, s) => {
    const target = targetOf(objects, s);
    const node = typeof target === 'string' ? undefined : podTemplates([target])[0]?.spec.containers?.[0];
    const perNode = Number(envValue(node, 'SE_NODE_MAX_SESSIONS') ?? '1');
    return sum + (s.spec.maxReplicaCount ?? DEFAULT_MAX_REPLICAS) * perNode;
  }, 0);
  return size >= needed
    ? []
    : [`hub SE_NEW_SESSION_THREAD_POOL_SIZE ${size} < ${needed} sessions the scalers may start`];
}
