import { installKeda, type LocalCluster, startLocalCluster } from '@scrapegrid/local-cluster';
import { waitUntil } from '@scrapegrid/test-support';
import { applyAndWaitAvailable } from '../cluster/apply-and-wait-available.ts';
import { clusterImages, importClusterImages, SHARED_GRID_IMAGES } from '../cluster/build-cluster-images.ts';
import { sharedHubUrl } from '../cluster/hub-fetch.ts';
import { kubeList } from '../cluster/kube-list.ts';
import { clusterIp, type NodePod, nodePods } from '../cluster/node-pods.ts';
import { withRealSecrets } from '../cluster/with-real-secrets.ts';
import type { K8sObject } from '../k8s-object.ts';
import { findObject } from '../policies/find-object.ts';
import { renderedVariants } from '../rendered-variants.ts';

export const NS = 'scrapegrid';

/** The shared-Grid overlays: the Chrome pool a Deployment under a ScaledObject, or (grid-keda-scaledjob) a ScaledJob. */
export type SharedGridVariant = 'grid-keda' | 'grid-keda-exporter' | 'grid-keda-push' | 'grid-keda-scaledjob';
/** The Chrome pool's pods in every shared-Grid overlay. */
export const NODE_SELECTOR = 'app.kubernetes.io/name=selenium-node-chrome';

/** A shared-Grid overlay applied to the local cluster, its Chrome pool under KEDA. */
export interface SharedGridUnderKeda {
  /**
   * The hub through its Service's cluster IP (the host reaches it through kube-proxy, as a pod
   * would), with the router's credentials: use hubFetch.
   */
  hubUrl: string;
  /** grid-exporter through its Service, for grid-keda-exporter and grid-keda-push; '' for grid-keda. */
  exporterUrl: string;
  /** The node Deployment's spec.replicas, as KEDA and the HPA set it (a ScaledJob's: its node pods). */
  replicas(): Promise<number>;
  nodePods(): Promise<NodePod[]>;
  /** Waits until KEDA holds the pool at 0: no replica asked for and no node pod left (a pod still Terminating is not gone). */
  waitForEmptyPool(what: string, timeoutMs: number): Promise<void>;
  /** Deletes the overlay's objects and waits until no node pod is left. */
  remove(): Promise<void>;
}

/**
 * The local cluster with real KEDA in it, the shared Grid's images imported (the selenium ones are
 * stand-ins: no registry can be pulled from here; k8s/README.md lists their differences) and the
 * overlays' namespace made (and `extraImages`, for what a test runs beside the Grid). Images are
 * built before the cluster takes the machine's one lock.
 * One per test file: the overlays' objects made again under the same names in one cluster were
 * not scaled to 0 by KEDA within 5 minutes (seen twice, not diagnosed), so each overlay gets a
 * cluster of its own.
 */
export async function startClusterWithKeda(extraImages: readonly string[] = []): Promise<LocalCluster> {
  const images = await clusterImages([...SHARED_GRID_IMAGES, ...extraImages]);
  const cluster = await startLocalCluster();
  try {
    await installKeda(cluster);
    await importClusterImages(cluster, images);
    await cluster.kubectl(['create', 'namespace', NS]);
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** How applySharedGridUnderKeda changes an overlay before applying it (see there). */
export interface SharedGridOptions {
  shippedCooldown?: boolean;
  shippedReplicas?: boolean;
  maxNodes?: number;
  /**
   * The Chrome pool as grid-keda-scaledjob's ScaledJob (one-session Jobs, its pod template) in
   * place of this overlay's Deployment and ScaledObject: a bench's variant (its trigger is then
   * A's until adjustScaler changes it).
   */
  poolAsScaledJob?: boolean;
  /** Applied to the ScaledObject/ScaledJob last: a bench's variant of a shipped overlay. */
  adjustScaler?: (scaler: K8sObject) => void;
  /** Applied to every object after adjustScaler: a bench's change to the rest (e.g. grid-exporter's flags). */
  adjustObjects?: (objects: K8sObject[]) => void;
}

/**
 * Applies a shared-Grid overlay as rendered, with two changes for this machine that
 * touch nothing proved: node and hub CPU requests lowered (two node pods and the hub fit the node's
 * 2 CPUs) and cooldownPeriod 20 s instead of 300 s (the return to 0 is seen in seconds; the bench
 * keeps the shipped one); and the
 * shipped placeholder secrets replaced, as users must. Waits for the hub (and exporter) to be Available and the ScaledObject Ready. The namespace must exist.
 */
export async function applySharedGridUnderKeda(
  cluster: LocalCluster,
  variant: SharedGridVariant,
  options: SharedGridOptions = {},
): Promise<SharedGridUnderKeda> {
  const { objects, asJobs } = await objectsToApply(variant, options);
  const withExporter = variant === 'grid-keda-exporter' || variant === 'grid-keda-push';
  await applyAndWaitAvailable(cluster, objects, {
    namespace: NS,
    deployments: ['selenium-hub', ...(withExporter ? ['grid-exporter'] : [])],
    timeoutSeconds: 300,
  });
  await cluster.kubectl(
    [
      '-n',
      NS,
      'wait',
      '--for=condition=Ready',
      `${asJobs ? 'scaledjob' : 'scaledobject'}/selenium-node-chrome`,
      '--timeout=120s',
    ],
    { timeoutMs: 130_000 },
  );
  const list = kubeList(objects);
  const pods = () => nodePods(cluster, NS, NODE_SELECTOR);
  const replicas = async () =>
    asJobs
      ? (await pods()).length
      : Number(
          (
            await cluster.kubectl([
              '-n',
              NS,
              'get',
              'deployment',
              'selenium-node-chrome',
              '-o',
              'jsonpath={.spec.replicas}',
            ])
          ).trim(),
        );
  return {
    hubUrl: await sharedHubUrl(cluster, objects, NS),
    exporterUrl: withExporter ? `http://${await clusterIp(cluster, NS, 'grid-exporter')}:9561` : '',
    replicas,
    nodePods: pods,
    waitForEmptyPool: async (what, timeoutMs) => {
      await waitUntil(async () => (await replicas()) === 0 && (await pods()).length === 0, {
        what,
        timeoutMs,
        intervalMs: 2_000,
      });
    },
    remove: async () => {
      await cluster.kubectl(['delete', '--wait=true', '--timeout=300s', '-f', '-'], {
        input: list,
        timeoutMs: 310_000,
      });
      await waitUntil(async () => (await pods()).length === 0, {
        what: `the node pods of ${variant} to be gone`,
        timeoutMs: 120_000,
      });
    },
  };
}

/** The overlay as rendered, changed as applySharedGridUnderKeda says; asJobs when its pool is a ScaledJob. */
async function objectsToApply(
  variant: SharedGridVariant,
  options: SharedGridOptions,
): Promise<{ objects: K8sObject[]; asJobs: boolean }> {
  const rendered = await renderedVariants();
  const renderedObjects = (name: string) => rendered.find((v) => v.name === name)?.objects ?? [];
  // grid-keda-scaledjob's pool is a ScaledJob (one Job per session), the others' a Deployment.
  const asJobs = variant === 'grid-keda-scaledjob' || options.poolAsScaledJob === true;
  const objects = withRealSecrets(
    variant !== 'grid-keda-scaledjob' && options.poolAsScaledJob
      ? withScaledJobPool(renderedObjects(variant), renderedObjects('grid-keda-scaledjob'))
      : renderedObjects(variant),
  );
  const scaler = findObject(objects, asJobs ? 'ScaledJob' : 'ScaledObject', 'selenium-node-chrome');
  const nodeTemplate = asJobs
    ? scaler.spec.jobTargetRef.template
    : findObject(objects, 'Deployment', 'selenium-node-chrome').spec.template;
  // The shipped Deployment names no replicas (KEDA owns them), so it starts with 1 pod that KEDA
  // then takes to 0: a node start and a drain before any test can begin. grid-keda-loop keeps that
  // path (what a user sees after the first apply); the others start the pool at 0.
  if (!asJobs && !options.shippedReplicas)
    findObject(objects, 'Deployment', 'selenium-node-chrome').spec.replicas = 0;
  // The bench keeps the shipped cooldown: the seconds a pool idles before 0 are part of its cost.
  if (!asJobs && !options.shippedCooldown) scaler.spec.cooldownPeriod = 20;
  // The bench caps every pool alike at what this machine's one node carries.
  if (options.maxNodes !== undefined) scaler.spec.maxReplicaCount = options.maxNodes;
  options.adjustScaler?.(scaler);
  options.adjustObjects?.(objects);
  containerOf(nodeTemplate, 'node').resources.requests.cpu = '100m';
  containerOf(findObject(objects, 'Deployment', 'selenium-hub').spec.template, 'hub').resources.requests.cpu =
    '250m';
  return { objects, asJobs };
}

/** `objects` with the Chrome pool's Deployment and ScaledObject replaced by the ScaledJob of `jobObjects` (grid-keda-scaledjob's). */
function withScaledJobPool(objects: K8sObject[], jobObjects: K8sObject[]): K8sObject[] {
  const isPool = (o: K8sObject) =>
    o.metadata.name === 'selenium-node-chrome' && (o.kind === 'Deployment' || o.kind === 'ScaledObject');
  return [
    ...objects.filter((o) => !isPool(o)),
    structuredClone(findObject(jobObjects, 'ScaledJob', 'selenium-node-chrome')),
  ];
}

function containerOf(podTemplate: K8sObject['spec'], name: string) {
  const container = podTemplate.spec.containers.find((c: { name: string }) => c.name === name);
  if (!container) throw new Error(`no container ${name} in the pod template`);
  return container;
}
