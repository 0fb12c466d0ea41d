import { join } from 'node:path';
import { type LocalCluster, startLocalCluster } from '@scrapegrid/local-cluster';
import { waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { K8sObject } from '../k8s-object.ts';
import { renderKustomization } from '../render-kustomization.ts';
import { K8S_DIR } from '../rendered-variants.ts';
import { clusterImages, importClusterImages, SHARED_GRID_IMAGES } from './build-cluster-images.ts';
import { gridNodes, nodeHostOf } from './grid-nodes.ts';
import { hubFetch, sharedHubUrl } from './hub-fetch.ts';
import { kubeList } from './kube-list.ts';
import { type NodePod, nodePods } from './node-pods.ts';
import { fitSharedGrid } from './shared-grid-objects.ts';
import { startW3cSession, type W3cSession } from './w3c-session.ts';

/**
 * Issue 11, proof 3: the shared Grid (grid-keda-exporter, its ScaledObjects left out so the test
 * drives the Deployment itself) with 4 real node pods registered to the real hub, 2 of them
 * running a session. Scaling the Deployment down, the real ReplicaSet controller picks the pods
 * and the kubelet runs drain-hook as their preStop:
 * - with grid-exporter's pod-deletion-cost controller on, it picks the 2 idle pods;
 * - with it off (the baseline), it picks by its own ranking: the busy pods it picks are counted;
 * - either way no session is lost: a busy pod it picks stays Terminating, held by drain-hook, for
 *   as long as its session runs, and goes as soon as the session ends.
 */
const NS = 'scrapegrid';
const NODE_SELECTOR = 'app.kubernetes.io/name=selenium-node-chrome';
const CHROME = { browserName: 'chrome', platformName: 'linux' };
const NODES = 4;
const SESSIONS = 2;
/** How long a picked busy pod is watched staying, held by drain-hook, before its session ends. */
const HOLD_MS = 15_000;

describe('scale-down of the shared Grid on a real node never kills a session', () => {
  let cluster: LocalCluster;
  let overlay: K8sObject[];
  const sessions: W3cSession[] = [];
  /** Busy pods the ReplicaSet picked, per run: printed beside each other at the end. */
  const busyPicked: Record<'controller' | 'baseline', number | undefined> = {
    controller: undefined,
    baseline: undefined,
  };

  beforeAll(async () => {
    overlay = await renderKustomization(join(K8S_DIR, 'overlays/grid-keda-exporter'));
    const images = await clusterImages(SHARED_GRID_IMAGES);
    cluster = await startLocalCluster();
    await importClusterImages(cluster, images);
    await cluster.kubectl(['create', 'namespace', NS]);
  }, 3_600_000);

  afterAll(async () => {
    await Promise.allSettled(sessions.splice(0).map((s) => s.quit()));
    console.log(
      `busy pods the ReplicaSet picked scaling ${NODES} -> ${NODES - SESSIONS} with ${SESSIONS} sessions: ` +
        `${busyPicked.controller} with the deletion-cost controller, ${busyPicked.baseline} without (baseline)`,
    );
    await cluster?.stop();
  }, 300_000);

  /** Applies the overlay with the controller on or off; returns the hub URL and the pods of the 2 sessions. */
  const deploy = async (deletionCost: boolean) => {
    const objects = fitSharedGrid(overlay, { nodes: NODES, deletionCost });
    await cluster.kubectl(['apply', '--server-side', '-f', '-'], { input: kubeList(objects) });
    await cluster.kubectl(
      [
        '-n',
        NS,
        'wait',
        '--for=condition=Available',
        'deployment/selenium-hub',
        'deployment/grid-exporter',
        'deployment/selenium-node-chrome',
        '--timeout=600s',
      ],
      { timeoutMs: 610_000 },
    );
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
    sessions.push(...started);
    const grid = await gridNodes(hubUrl);
    const pods = await nodePods(cluster, NS, NODE_SELECTOR);
    expect(pods).toHaveLength(NODES);
    const podOf = new Map(
      started.map((s) => [s.id, pods.find((p) => p.ip === nodeHostOf(grid, s.id))?.name ?? '']),
    );
    const busy = [...new Set(podOf.values())].filter((name) => name !== '');
    expect(busy, 'one session per node pod (SE_NODE_MAX_SESSIONS=1)').toHaveLength(SESSIONS);
    return { hubUrl, pods, podOf, busy };
  };

  const answers = async (hubUrl: string, session: W3cSession) =>
    (await hubFetch(`${hubUrl}/session/${session.id}/url`, { signal: AbortSignal.timeout(30_000) })).status;

  /** Scales the node Deployment to `replicas` and returns the pods the ReplicaSet picked to delete. */
  const scaleTo = async (replicas: number, before: readonly NodePod[]) => {
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
  };

  /** A picked busy pod stays while its session runs; returns seconds from the session's end to the pod's. */
  const heldUntilSessionEnds = async (hubUrl: string, pod: string, session: W3cSession) => {
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    const now = await nodePods(cluster, NS, NODE_SELECTOR);
    expect(now.find((p) => p.name === pod)?.deleting, `${pod} is Terminating, held by drain-hook`).toBe(true);
    expect(await answers(hubUrl, session), 'its session still answers').toBe(200);
    const ended = Date.now();
    await session.quit();
    await waitUntil(async () => !(await nodePods(cluster, NS, NODE_SELECTOR)).some((p) => p.name === pod), {
      what: `${pod} to go once its session ended`,
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    return (Date.now() - ended) / 1000;
  };

  const tearDown = async () => {
    await Promise.allSettled(sessions.splice(0).map((s) => s.quit()));
    const objects = fitSharedGrid(overlay, { nodes: NODES, deletionCost: false });
    await cluster.kubectl(['delete', '--wait=true', '--timeout=300s', '-f', '-'], {
      input: kubeList(objects),
      timeoutMs: 310_000,
    });
    await waitUntil(async () => (await nodePods(cluster, NS, NODE_SELECTOR)).length === 0, {
      what: 'every node pod to be gone',
      timeoutMs: 120_000,
    });
  };

  test('with the deletion-cost controller: the idle pods go, every session survives; a busy pod going last waits for its session', async () => {
    const { hubUrl, pods, podOf, busy } = await deploy(true);
    // grid-exporter annotates: busy pods 1000, idle ones -1000.
    await waitUntil(
      async () =>
        (await nodePods(cluster, NS, NODE_SELECTOR)).every(
          (p) => p.cost === (busy.includes(p.name) ? '1000' : '-1000'),
        ),
      {
        what: 'grid-exporter to annotate the busy and idle node pods',
        timeoutMs: 120_000,
        intervalMs: 1_000,
      },
    );
    const picked = await scaleTo(NODES - SESSIONS, pods);
    busyPicked.controller = picked.filter((p) => busy.includes(p)).length;
    expect(picked).toEqual(
      pods
        .filter((p) => !busy.includes(p.name))
        .map((p) => p.name)
        .sort(),
    );
    for (const session of sessions) expect(await answers(hubUrl, session)).toBe(200);

    // Down to 1: a busy pod has to go; drain-hook holds it until its session ends.
    await waitUntil(async () => (await nodePods(cluster, NS, NODE_SELECTOR)).length === SESSIONS, {
      what: 'the idle pods to be gone',
      timeoutMs: 120_000,
    });
    const [leaving] = await scaleTo(1, await nodePods(cluster, NS, NODE_SELECTOR));
    const session = sessions.find((s) => podOf.get(s.id) === leaving) as W3cSession;
    const other = sessions.find((s) => s !== session) as W3cSession;
    const seconds = await heldUntilSessionEnds(hubUrl, leaving as string, session);
    console.log(`with the controller: the busy pod went ${seconds.toFixed(1)} s after its session ended`);
    expect(await answers(hubUrl, other), 'the session on the pod that stays still answers').toBe(200);
    await tearDown();
  }, 1_800_000);

  test('without it (the baseline): the ReplicaSet picks by its own ranking; drain-hook alone still loses no session', async () => {
    const { hubUrl, pods, podOf, busy } = await deploy(false);
    expect((await nodePods(cluster, NS, NODE_SELECTOR)).map((p) => p.cost)).toEqual(
      Array(NODES).fill(undefined),
    );
    const picked = await scaleTo(NODES - SESSIONS, pods);
    const pickedBusy = picked.filter((p) => busy.includes(p));
    busyPicked.baseline = pickedBusy.length;
    console.log(`baseline: the ReplicaSet picked ${pickedBusy.length} busy pod(s) of ${picked.length}`);
    const held = await Promise.all(
      pickedBusy.map((pod) =>
        heldUntilSessionEnds(hubUrl, pod, sessions.find((s) => podOf.get(s.id) === pod) as W3cSession),
      ),
    );
    for (const seconds of held)
      console.log(`baseline: a busy pod went ${seconds.toFixed(1)} s after its session ended`);
    for (const session of sessions.filter((s) => !pickedBusy.includes(podOf.get(s.id) ?? '')))
      expect(await answers(hubUrl, session)).toBe(200);
    await tearDown();
  }, 1_800_000);
});
