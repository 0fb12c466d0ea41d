import {
  installKeda,
  type LocalCluster,
  readExternalMetric,
  spawnTracked,
  startLocalCluster,
  type TrackedProcess,
  waitUntil,
} from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildClusterImages,
  clusterImages,
  importClusterImages,
  SHARED_GRID_IMAGES,
} from '../cluster/build-cluster-images.ts';
import { gridNodes, nodeHostOf } from '../cluster/grid-nodes.ts';
import { startW3cSession, type W3cSession } from '../cluster/w3c-session.ts';
import { applySharedGridUnderKeda, NS } from './shared-grid-under-keda.ts';

/**
 * Issue 12, proofs 1 and 4, and both overlays scaling real node pods under real KEDA: the shared
 * Grid in the local cluster, the selenium/node-chrome stand-in's pods registering with the
 * in-cluster hub (applySharedGridUnderKeda lists the two changes made for this machine).
 * - grid-keda-exporter: queue -> KEDA -> replicas -> nodes -> sessions -> queue empties; then one
 *   session ends and the HPA's scale-down (scale-down-behaviour) removes the idle pod, never the
 *   busy one (pod-deletion-cost); then the last ends and KEDA returns the pool to 0 through drain-hook.
 * - grid-keda (KEDA's own selenium-grid trigger): a queued request activates the pool; once the
 *   session runs, KEDA no longer counts it (the node advertises its browserVersion, the trigger
 *   names none: autoscaling.md's case d) and scales the busy pod away; drain-hook, its preStop,
 *   holds the pod until the session ends, so the session is not lost.
 */
const CHROME = { browserName: 'chrome', platformName: 'linux' };
/** How long the busy pod KEDA scaled away is watched staying, held by drain-hook. */
const HOLD_MS = 15_000;

describe('the shared Grid under real KEDA with real node pods', () => {
  let cluster: LocalCluster;
  const sessions: W3cSession[] = [];
  const followers: TrackedProcess[] = [];

  beforeAll(async () => {
    // Stand-ins for the selenium images, which cannot be pulled here (k8s/README.md lists their
    // differences), and ours, built before the cluster takes its lock.
    await buildClusterImages(['grid-exporter', 'pod-tools']);
    cluster = await startLocalCluster();
    await installKeda(cluster);
    await importClusterImages(cluster, await clusterImages(SHARED_GRID_IMAGES));
    await cluster.kubectl(['create', 'namespace', NS]);
  }, 3_600_000);

  afterAll(async () => {
    await Promise.allSettled(sessions.map((s) => s.quit()));
    await Promise.allSettled(followers.map((f) => f.stop(1_000)));
    await cluster?.stop();
  }, 300_000);

  // grid-keda first: removing it deletes the hub's Service, and KEDA's operator keeps its
  // keep-alive connection to the old ClusterIP (Go pools connections by host name): a hub Service
  // made again under the same name would not be asked. grid-keda-exporter's trigger asks
  // grid-exporter's Service, which is new to the operator.
  test("grid-keda: KEDA's own trigger activates the pool, then scales the busy pod away (case d); drain-hook holds it until its session ends", async () => {
    const g = await applySharedGridUnderKeda(cluster, 'grid-keda');
    await waitUntil(async () => (await g.replicas()) === 0 && (await g.nodePods()).length === 0, {
      what: 'KEDA to hold the idle pool at 0',
      timeoutMs: 300_000,
      intervalMs: 2_000,
    });
    // A queued request: KEDA activates the Deployment; the new pod registers and takes it.
    const starting = startW3cSession(g.hubUrl, CHROME, 420_000);
    starting.then(
      (s) => {
        sessions.push(s);
      },
      () => {},
    );
    await waitUntil(async () => (await g.replicas()) === 1, {
      what: 'KEDA to set spec.replicas to 1',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });
    const session = await starting;
    const started = Date.now();
    const grid = await gridNodes(g.hubUrl);
    expect(grid.queue).toBe(0);
    const [pod] = await g.nodePods();
    expect(pod?.ip).toBe(nodeHostOf(grid, session.id));

    // The session runs, the queue is empty: KEDA counts 0 and, after the cooldown, scales to 0.
    await waitUntil(async () => (await g.replicas()) === 0, {
      what: 'KEDA to scale the busy pool to 0',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });
    const scaledAwayAfter = (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    const held = await g.nodePods();
    expect(held.map((p) => [p.name, p.deleting])).toEqual([[pod?.name, true]]);
    const alive = await fetch(`${g.hubUrl}/session/${session.id}/url`, {
      signal: AbortSignal.timeout(30_000),
    });
    expect(alive.status, 'the session on the pod KEDA scaled away still answers').toBe(200);

    const ended = Date.now();
    await session.quit();
    await waitUntil(async () => (await g.nodePods()).length === 0, {
      what: 'the held pod to go once its session ended',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    console.log(
      `grid-keda: KEDA scaled the busy pod away ${scaledAwayAfter.toFixed(1)} s into its session; ` +
        `drain-hook held it until the session ended, then it went in ${((Date.now() - ended) / 1000).toFixed(1)} s`,
    );
    const events = await cluster.kubectl(['-n', NS, 'get', 'events', '-o', 'json']);
    expect(events).not.toContain('FailedPreStopHook');
    await g.remove();
  }, 1_200_000);

  test('queue -> KEDA -> 2 node pods -> sessions; one ends: the idle pod goes; the last ends: back to 0 through drain-hook', async () => {
    const g = await applySharedGridUnderKeda(cluster, 'grid-keda-exporter');
    const { hubUrl, exporterUrl } = g;
    // A new Deployment without replicas starts with 1: KEDA takes the idle pool to 0 first.
    await waitUntil(async () => (await g.replicas()) === 0 && (await g.nodePods()).length === 0, {
      what: 'KEDA to hold the idle pool at 0',
      timeoutMs: 300_000,
      intervalMs: 2_000,
    });

    // 1. Two requests queue; KEDA activates the Deployment and the HPA follows the exporter.
    const starting = [startW3cSession(hubUrl, CHROME, 420_000), startW3cSession(hubUrl, CHROME, 420_000)];
    for (const s of starting)
      s.then(
        (x) => {
          sessions.push(x);
        },
        () => {},
      );
    await waitUntil(async () => (await pool(exporterUrl)).desiredNodes === 2, {
      what: 'grid-exporter to ask for 2 nodes',
      timeoutMs: 60_000,
    });
    expect((await readExternalMetric(cluster, NS, 'selenium-node-chrome')).value).toBe(2);
    await waitUntil(async () => (await g.replicas()) === 2, {
      what: 'KEDA and the HPA to set spec.replicas to 2',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });

    // 2. The new pods register with the hub and take the queued sessions: the queue empties.
    const [a, b] = (await Promise.all(starting)) as [W3cSession, W3cSession];
    const grid = await gridNodes(hubUrl);
    expect(grid.queue).toBe(0);
    expect(grid.nodes.map((n) => n.sessions.length)).toEqual([1, 1]);
    const pods = await g.nodePods();
    expect(pods).toHaveLength(2);
    const podOf = (session: W3cSession) => pods.find((p) => p.ip === nodeHostOf(grid, session.id))?.name;
    const podA = podOf(a);
    const podB = podOf(b);
    expect(podA).toBeDefined();
    expect(podB).toBeDefined();
    expect(podA).not.toBe(podB);

    // 3. Session A ends: the exporter asks for 1, marks pod A cheapest to delete, and the HPA's
    //    scale-down (after its 120 s window) makes the ReplicaSet delete pod A, not B.
    await a.quit();
    await waitUntil(async () => (await pool(exporterUrl)).desiredNodes === 1, {
      what: 'grid-exporter to ask for 1 node',
      timeoutMs: 60_000,
    });
    await waitUntil(
      async () => {
        const costs = Object.fromEntries((await g.nodePods()).map((p) => [p.name, p.cost]));
        return costs[podA as string] === '-1000' && costs[podB as string] === '1000';
      },
      { what: 'pod-deletion-cost: idle pod A -1000, busy pod B 1000', timeoutMs: 60_000 },
    );
    await waitUntil(async () => (await g.replicas()) === 1, {
      what: 'the HPA to scale down to 1',
      timeoutMs: 300_000,
      intervalMs: 2_000,
    });
    await waitUntil(async () => !(await g.nodePods()).some((p) => p.name === podA), {
      what: 'pod A to be gone',
      timeoutMs: 120_000,
    });
    const left = await g.nodePods();
    expect(left.map((p) => p.name)).toEqual([podB]);
    expect(left[0]?.deleting).toBe(false);
    const alive = await fetch(`${hubUrl}/session/${b.id}/url`, { signal: AbortSignal.timeout(30_000) });
    expect(alive.status, 'session B still answers after the scale-down').toBe(200);

    // 4. Session B ends: the queue is empty and nothing runs; KEDA deactivates after the cooldown
    //    and the last pod leaves through drain-hook (its preStop), which exits at once: no session.
    const follow = spawnTracked('kubectl-logs', cluster.binaries.kubectl, [
      `--kubeconfig=${cluster.kubeconfig}`,
      '-n',
      NS,
      'logs',
      '-f',
      `pod/${podB}`,
      '-c',
      'node',
    ]);
    followers.push(follow);
    await b.quit();
    await waitUntil(async () => (await g.replicas()) === 0, {
      what: 'KEDA to return the Deployment to 0',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });
    await waitUntil(async () => (await g.nodePods()).length === 0, {
      what: 'the last node pod to be gone',
      timeoutMs: 180_000,
    });
    await waitUntil(() => !follow.isRunning() || /drain-hook/.test(follow.output()), {
      what: "drain-hook's lines in the node container's log",
      timeoutMs: 30_000,
    });
    expect(follow.output()).toMatch(/exit 0/);
    const events = await cluster.kubectl(['-n', NS, 'get', 'events', '-o', 'json']);
    expect(events).not.toContain('FailedPreStopHook');
    expect((await readExternalMetric(cluster, NS, 'selenium-node-chrome')).value).toBe(0);
    await g.remove();
  }, 1_200_000);
});

// --- internal ---

async function pool(exporterUrl: string): Promise<{ desiredNodes: number }> {
  return (await (
    await fetch(`${exporterUrl}/pools/chrome`, { signal: AbortSignal.timeout(5_000) })
  ).json()) as {
    desiredNodes: number;
  };
}
