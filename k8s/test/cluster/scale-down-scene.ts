import { join } from 'node:path';
import { type LocalCluster, startLocalCluster } from '@scrapegrid/local-cluster';
import { waitUntil } from '@scrapegrid/test-support';
import type { K8sObject } from '../k8s-object.ts';
import { renderKustomization } from '../render-kustomization.ts';
import { K8S_DIR } from '../rendered-variants.ts';
import { applyAndWaitAvailable } from './apply-and-wait-available.ts';
import { clusterImages, importClusterImages, SHARED_GRID_IMAGES } from './build-cluster-images.ts';
import { gridNodes, nodeHostOf } from './grid-nodes.ts';
import { hubFetch, sharedHubUrl } from './hub-fetch.ts';
import { kubeList } from './kube-list.ts';
import { type NodePod, nodePods } from './node-pods.ts';
import { fitSharedGrid } from './shared-grid-objects.ts';
import { startW3cSession, type W3cSession } from './w3c-session.ts';

/**
 * The scale-down scene of the shared Grid on a real local cluster: grid-keda-exporter (its
 * ScaledObjects left out, so the caller drives the node Deployment itself) with 4 real node pods
 * registered to the real hub, 2 of them running a session, and the steps to scale it down and watch
 * what the ReplicaSet picks and drain-hook holds. Shared by the test (shared-grid-scale-down, which
 * asserts the controller's case) and the bench (bench/scale-down-pick, which counts what the
 * ReplicaSet picks with the pod-deletion-cost controller and without it, the baseline): a
 * comparison is measured in a bench, not in a test, and both must see the same scene.
 *
 * The steps return what they saw (pods, HTTP statuses, flags) rather than asserting, so the test
 * asserts exact values and the bench counts. `stop()` quits the sessions and stops the cluster.
 */
export interface ScaleDownScene {
  readonly cluster: LocalCluster;
  /** Node pods deployed, and sessions started on them (one per pod: SE_NODE_MAX_SESSIONS=1). */
  readonly nodes: number;
  readonly sessionCount: number;
  /** The sessions of the current deployment. */
  readonly sessions: W3cSession[];
  /** Applies the overlay with grid-exporter's deletion-cost controller on or off, starts the sessions. */
  deploy(deletionCost: boolean): Promise<Deployed>;
  /** The node pods now. */
  pods(): Promise<NodePod[]>;
  /** The HTTP status of a request inside `session`: 200 while it lives. */
  answers(hubUrl: string, session: W3cSession): Promise<number>;
  /** Scales the node Deployment to `replicas`; returns the pods the ReplicaSet picked, sorted. */
  scaleTo(replicas: number, before: readonly NodePod[]): Promise<string[]>;
  /**
   * Watches a picked busy pod for a while, ends its session and waits for the pod to go: whether it
   * stayed Terminating, what its session answered before it ended, seconds from its end to the pod's.
   */
  heldUntilSessionEnds(hubUrl: string, pod: string, session: W3cSession): Promise<Held>;
  /** Quits the sessions, deletes the overlay, waits for every node pod to be gone. */
  tearDown(): Promise<void>;
  /** Quits the sessions left and stops the cluster. */
  stop(): Promise<void>;
}

export async function scaleDownScene(): Promise<ScaleDownScene> {
  const overlay = await renderKustomization(join(K8S_DIR, 'overlays/grid-keda-exporter'));
  const images = await clusterImages(SHARED_GRID_IMAGES);
  const cluster = await startLocalCluster();
  try {
    await importClusterImages(cluster, images);
    await cluster.kubectl(['create', 'namespace', NS]);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return sceneOn(cluster, overlay);
}

// --- internal ---

const NS = 'scrapegrid';
const NODE_SELECTOR = 'app.kubernetes.io/name=selenium-node-chrome';
const CHROME = { browserName: 'chrome', platformName: 'linux' };
const NODES = 4;
const SESSIONS = 2;
/** How long a picked busy pod is watched staying, held by drain-hook, before its session ends. */
const HOLD_MS = 15_000;

interface Deployed {
  hubUrl: string;
  /** The node pods once the hub lists them all. */
  pods: NodePod[];
  /** Session id -> the pod it runs on ('' if the hub's node matched no pod). */
  podOf: Map<string, string>;
  /** The pods running a session. */
  busy: string[];
}

interface Held {
  /** The pod was Terminating (held by drain-hook) after the hold. */
  terminating: boolean;
  /** What its session answered after the hold, before it was ended. */
  status: number;
  /** Seconds from the session's end to the pod's going. */
  seconds: number;
}

function sceneOn(cluster: LocalCluster, overlay: K8sObject[]): ScaleDownScene {
  const sessions: W3cSession[] = [];
  const pods = () => nodePods(cluster, NS, NODE_SELECTOR);
  const answers = async (hubUrl: string, session: W3cSession) => {
    const response = await hubFetch(`${hubUrl}/session/${session.id}/url`, {
      signal: AbortSignal.timeout(30_000),
    });
    await response.body?.cancel();
    return response.status;
  };

  const deploy = async (deletionCost: boolean): Promise<Deployed> => {
    const deployed = await deployWithSessions(
      cluster,
      fitSharedGrid(overlay, { nodes: NODES, deletionCost }),
    );
    sessions.push(...deployed.sessions);
    return deployed;
  };
  const scaleTo = (replicas: number, before: readonly NodePod[]) => scaleNodesTo(cluster, replicas, before);

  const heldUntilSessionEnds = async (hubUrl: string, pod: string, session: W3cSession): Promise<Held> => {
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    const terminating = (await pods()).find((p) => p.name === pod)?.deleting === true;
    const status = await answers(hubUrl, session).catch(() => 0);
    const ended = Date.now();
    await session.quit();
    await waitUntil(async () => !(await pods()).some((p) => p.name === pod), {
      what: `${pod} to go once its session ended`,
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    return { terminating, status, seconds: (Date.now() - ended) / 1000 };
  };

  const tearDown = async () => {
    await Promise.allSettled(sessions.splice(0).map((s) => s.quit()));
    const objects = fitSharedGrid(overlay, { nodes: NODES, deletionCost: false });
    await cluster.kubectl(['delete', '--wait=true', '--timeout=300s', '-f', '-'], {
      input: kubeList(objects),
      timeoutMs: 310_000,
    });
    await waitUntil(async () => (await pods()).length === 0, {
      what: 'every node pod to be gone',
      timeoutMs: 120_000,
    });
  };

  const stop = async () => {
    await Promise.allSettled(sessions.splice(0).map((s) => s.quit()));
    await cluster.stop();
  };

  return {
    cluster,
    nodes: NODES,
    sessionCount: SESSIONS,
    sessions,
    deploy,
    pods,
    answers,
    scaleTo,
    heldUntilSessionEnds,
    tearDown,
    stop,
  };
}

/** The shared Grid applied, its 4 nodes registered, 2 sessions started on them; where each runs. */
async function deployWithSessions(
  cluster: LocalCluster,
  objects: K8sObject[],
): Promise<Deployed & { sessions: W3cSession[] }> {
  await applyAndWaitAvailable(cluster, objects, {
    namespace: NS,
    deployments: ['selenium-hub', 'grid-exporter', 'selenium-node-chrome'],
    timeoutSeconds: 600,
  });
  const hubUrl = await sharedHubUrl(cluster, objects, NS);
  // Ready pods are registered nodes (the readiness probe asks the node); the hub lists all four.
  await waitUntil(async () => (await gridNodes(hubUrl)).nodes.length === NODES, {
    what: `the hub to list ${NODES} nodes`,
    timeoutMs: 120_000,
    intervalMs: 1_000,
  });
  const started = await Promise.all(
    Array.from({ length: SESSIONS }, () => startW3cSession(hubUrl, CHROME, 300_000)),
  );
  const grid = await gridNodes(hubUrl);
  const now = await nodePods(cluster, NS, NODE_SELECTOR);
  const podOf = new Map(
    started.map((s) => [s.id, now.find((p) => p.ip === nodeHostOf(grid, s.id))?.name ?? '']),
  );
  const busy = [...new Set(podOf.values())].filter((name) => name !== '');
  return { hubUrl, pods: now, podOf, busy, sessions: started };
}

/** Scales the node Deployment to `replicas`; returns the pods the ReplicaSet picked (deleting or gone). */
async function scaleNodesTo(cluster: LocalCluster, replicas: number, before: readonly NodePod[]) {
  await cluster.kubectl(['-n', NS, 'scale', 'deployment/selenium-node-chrome', `--replicas=${replicas}`]);
  const wanted = before.length - replicas;
  // An idle pod can be gone between two polls (drain-hook exits at once): picked = deleting or gone.
  return waitUntil(
    async () => {
      const now = await nodePods(cluster, NS, NODE_SELECTOR);
      const picked = before
        .filter((p) => !now.some((n) => n.name === p.name) || now.find((n) => n.name === p.name)?.deleting)
        .map((p) => p.name);
      return picked.length === wanted ? picked.sort() : undefined;
    },
    { what: `the ReplicaSet to pick ${wanted} pod(s)`, timeoutMs: 60_000, intervalMs: 250 },
  );
}
