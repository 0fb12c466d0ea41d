import { type LocalCluster, readExternalMetric } from '@scrapegrid/local-cluster';
import { spawnTracked, type TrackedProcess, waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gridNodes, nodeHostOf } from '../cluster/grid-nodes.ts';
import { hubFetch } from '../cluster/hub-fetch.ts';
import { startW3cSession, type W3cSession } from '../cluster/w3c-session.ts';
import { applySharedGridUnderKeda, NS, startClusterWithKeda } from './shared-grid-under-keda.ts';

/**
 * Issue 12, proofs 1 and 4: grid-keda-exporter in the local cluster under real KEDA, the
 * selenium/node-chrome stand-in's pods registering with the in-cluster hub
 * (applySharedGridUnderKeda lists the two changes made for this machine). Queue -> KEDA ->
 * replicas -> nodes -> sessions -> queue empties; then one session ends and the HPA's scale-down
 * (scale-down-behaviour) removes the idle pod, never the busy one (pod-deletion-cost); then the
 * last ends and KEDA returns the pool to 0 through drain-hook. grid-keda-loop.integration.test.ts
 * does the same with KEDA's own trigger.
 */
// What Selenium's Python and Java clients send by default: no platformName (grid-exporter's matcher follows the hub, which places it on any Linux node).
const CHROME = { browserName: 'chrome' };

describe('grid-keda-exporter under real KEDA closes the loop with real node pods', () => {
  let cluster: LocalCluster;
  const sessions: W3cSession[] = [];
  const followers: TrackedProcess[] = [];

  beforeAll(async () => {
    cluster = await startClusterWithKeda();
  }, 3_600_000);

  afterAll(async () => {
    await Promise.allSettled(sessions.map((s) => s.quit()));
    await Promise.allSettled(followers.map((f) => f.stop(1_000)));
    await cluster?.stop();
  }, 300_000);

  test('queue -> KEDA -> 2 node pods -> sessions; one ends: the idle pod goes; the last ends: back to 0 through drain-hook', async () => {
    const g = await applySharedGridUnderKeda(cluster, 'grid-keda-exporter');
    const { hubUrl, exporterUrl } = g;
    // The pool starts at 0 (applySharedGridUnderKeda): KEDA holds it there while nothing is queued.
    await g.waitForEmptyPool('KEDA to hold the idle pool at 0', 300_000);

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
    const alive = await hubFetch(`${hubUrl}/session/${b.id}/url`, { signal: AbortSignal.timeout(30_000) });
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
