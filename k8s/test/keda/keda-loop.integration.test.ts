import {
  installKeda,
  type Keda,
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
import { clusterIp, nodePods as podsIn } from '../cluster/node-pods.ts';
import { startW3cSession, type W3cSession } from '../cluster/w3c-session.ts';
import type { K8sObject } from '../k8s-object.ts';
import { findObject } from '../policies/find-object.ts';
import { renderedVariants } from '../rendered-variants.ts';

/**
 * Issue 12, proofs 1 and 4: the grid-keda-exporter overlay in the local cluster under real KEDA,
 * with real node pods (the selenium/node-chrome stand-in) registering with the in-cluster hub.
 * Queue -> KEDA -> replicas -> nodes -> sessions -> queue empties; then one session ends and the
 * HPA's scale-down (scale-down-behaviour) removes the idle pod, never the busy one
 * (pod-deletion-cost); then the last ends and KEDA returns the pool to 0 through drain-hook.
 *
 * Changes to the overlay, for this machine, none touching what is proved: the node and hub CPU
 * requests are lowered so two node pods and the hub fit the node's 2 CPUs; cooldownPeriod is 20 s
 * instead of 300 s so the return to 0 is seen in seconds.
 */
const NS = 'scrapegrid';
const NODE_SELECTOR = 'app.kubernetes.io/name=selenium-node-chrome';
const CHROME = { browserName: 'chrome', platformName: 'linux' };

describe('grid-keda-exporter under real KEDA closes the loop with real node pods', () => {
  let cluster: LocalCluster;
  let keda: Keda;
  let hubUrl = '';
  let exporterUrl = '';
  const sessions: W3cSession[] = [];
  const followers: TrackedProcess[] = [];

  beforeAll(async () => {
    const objects = structuredClone(
      (await renderedVariants()).find((v) => v.name === 'grid-keda-exporter')?.objects ?? [],
    );
    // Stand-ins for the selenium images, which cannot be pulled here (k8s/README.md lists their
    // differences), and ours, built before the cluster takes its lock.
    await buildClusterImages(['grid-exporter', 'pod-tools']);
    cluster = await startLocalCluster();
    keda = await installKeda(cluster);
    await importClusterImages(cluster, await clusterImages(SHARED_GRID_IMAGES));
    const scaled = findObject(objects, 'ScaledObject', 'selenium-node-chrome');
    scaled.spec.cooldownPeriod = 20;
    containerOf(findObject(objects, 'Deployment', 'selenium-node-chrome'), 'node').resources.requests.cpu =
      '100m';
    const hub = containerOf(findObject(objects, 'Deployment', 'selenium-hub'), 'hub');
    hub.resources.requests.cpu = '250m';
    await cluster.kubectl(['apply', '--server-side', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, ...objects],
      }),
    });
    await cluster.kubectl(
      [
        '-n',
        NS,
        'wait',
        '--for=condition=Available',
        'deployment/selenium-hub',
        'deployment/grid-exporter',
        '--timeout=300s',
      ],
      { timeoutMs: 310_000 },
    );
    await cluster.kubectl(
      ['-n', NS, 'wait', '--for=condition=Ready', 'scaledobject/selenium-node-chrome', '--timeout=120s'],
      {
        timeoutMs: 130_000,
      },
    );
    // The host reaches Services through kube-proxy's rules, as a pod would.
    hubUrl = `http://${await clusterIp(cluster, NS, 'selenium-hub')}:4444`;
    exporterUrl = `http://${await clusterIp(cluster, NS, 'grid-exporter')}:9561`;
  }, 3_600_000);

  afterAll(async () => {
    await Promise.allSettled(sessions.map((s) => s.quit()));
    await Promise.allSettled(followers.map((f) => f.stop(1_000)));
    await cluster?.stop();
  }, 300_000);

  test('queue -> KEDA -> 2 node pods -> sessions; one ends: the idle pod goes; the last ends: back to 0 through drain-hook', async () => {
    // A new Deployment without replicas starts with 1: KEDA takes the idle pool to 0 first.
    await waitUntil(async () => (await replicas(cluster)) === 0 && (await nodePods(cluster)).length === 0, {
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
    await waitUntil(async () => (await replicas(cluster)) === 2, {
      what: 'KEDA and the HPA to set spec.replicas to 2',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });

    // 2. The new pods register with the hub and take the queued sessions: the queue empties.
    const [a, b] = (await Promise.all(starting)) as [W3cSession, W3cSession];
    const grid = await gridNodes(hubUrl);
    expect(grid.queue).toBe(0);
    expect(grid.nodes.map((n) => n.sessions.length)).toEqual([1, 1]);
    const pods = await nodePods(cluster);
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
        const costs = Object.fromEntries((await nodePods(cluster)).map((p) => [p.name, p.cost]));
        return costs[podA as string] === '-1000' && costs[podB as string] === '1000';
      },
      { what: 'pod-deletion-cost: idle pod A -1000, busy pod B 1000', timeoutMs: 60_000 },
    );
    await waitUntil(async () => (await replicas(cluster)) === 1, {
      what: 'the HPA to scale down to 1',
      timeoutMs: 300_000,
      intervalMs: 2_000,
    });
    await waitUntil(async () => !(await nodePods(cluster)).some((p) => p.name === podA), {
      what: 'pod A to be gone',
      timeoutMs: 120_000,
    });
    const left = await nodePods(cluster);
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
    await waitUntil(async () => (await replicas(cluster)) === 0, {
      what: 'KEDA to return the Deployment to 0',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });
    await waitUntil(async () => (await nodePods(cluster)).length === 0, {
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
    void keda;
  }, 1_200_000);
});

// --- internal ---

function containerOf(deployment: K8sObject, name: string) {
  const container = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === name);
  if (!container) throw new Error(`no container ${name} in ${deployment.metadata.name}`);
  return container;
}

async function replicas(cluster: LocalCluster): Promise<number> {
  const out = await cluster.kubectl([
    '-n',
    NS,
    'get',
    'deployment',
    'selenium-node-chrome',
    '-o',
    'jsonpath={.spec.replicas}',
  ]);
  return Number(out.trim());
}

async function pool(exporterUrl: string): Promise<{ desiredNodes: number }> {
  return (await (
    await fetch(`${exporterUrl}/pools/chrome`, { signal: AbortSignal.timeout(5_000) })
  ).json()) as {
    desiredNodes: number;
  };
}

function nodePods(cluster: LocalCluster) {
  return podsIn(cluster, NS, NODE_SELECTOR);
}
