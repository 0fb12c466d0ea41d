import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  buildahImageArchive,
  type LocalCluster,
  startLocalCluster,
  waitUntil,
} from '@scrapegrid/test-support';
import { Builder, type WebDriver } from 'selenium-webdriver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderKustomization } from '../render-kustomization.ts';
import { K8S_DIR } from '../rendered-variants.ts';
import { fitSharedGrid } from './shared-grid-objects.ts';

const run = promisify(execFile);
const NS = 'scrapegrid';
const ROOT = join(K8S_DIR, '..');
const SELENIUM_TAG = '4.48.0-20260905';
const IMAGES: [string, string][] = [
  ['localhost/scrapegrid/pod-tools:0.1.0', 'docker.io/scrapegrid/pod-tools:0.1.0'],
  ['localhost/scrapegrid/grid-exporter:0.1.0', 'docker.io/scrapegrid/grid-exporter:0.1.0'],
  [`localhost/selenium/hub:${SELENIUM_TAG}`, `docker.io/selenium/hub:${SELENIUM_TAG}`],
  [`localhost/selenium/node-chrome:${SELENIUM_TAG}`, `docker.io/selenium/node-chrome:${SELENIUM_TAG}`],
];
const COST = 'controller.kubernetes.io/pod-deletion-cost';

interface NodePod {
  name: string;
  ip: string;
  cost?: string;
  deleting: boolean;
}

async function nodePods(cluster: LocalCluster): Promise<NodePod[]> {
  const list = JSON.parse(
    await cluster.kubectl([
      '-n',
      NS,
      'get',
      'pods',
      '-l',
      'app.kubernetes.io/name=selenium-node-chrome',
      '-o',
      'json',
    ]),
  ) as {
    items: {
      metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string };
      status: { podIP?: string };
    }[];
  };
  return list.items.map((p) => ({
    name: p.metadata.name,
    ip: p.status.podIP ?? '',
    cost: p.metadata.annotations?.[COST],
    deleting: p.metadata.deletionTimestamp !== undefined,
  }));
}

/** The hub's view: which node (by its pod IP) runs a session. */
async function busyNodeIps(hubUrl: string): Promise<string[]> {
  const status = (await (await fetch(`${hubUrl}/status`)).json()) as {
    value: { nodes: { uri: string; slots: { session: unknown }[] }[] };
  };
  return status.value.nodes.filter((n) => n.slots.some((s) => s.session)).map((n) => new URL(n.uri).hostname);
}

describe('scale-down of the shared Grid on a real node', () => {
  let cluster: LocalCluster;
  let hubUrl: string;
  const drivers: WebDriver[] = [];

  beforeAll(async () => {
    // Cached builds: seconds when nothing changed.
    await run(
      'bash',
      [join(ROOT, 'scripts/build-images.sh'), '--standin-bases', 'pod-tools', 'grid-exporter'],
      {
        timeout: 1_800_000,
        maxBuffer: 64 << 20,
      },
    );
    await run('bash', [join(ROOT, 'images/standin/selenium/build-selenium-standins.sh')], {
      timeout: 1_800_000,
      maxBuffer: 64 << 20,
    });
    const archives = await Promise.all(IMAGES.map(([ref, name]) => buildahImageArchive(ref, name)));
    cluster = await startLocalCluster();
    for (const [i, archive] of archives.entries())
      await cluster.importImage(archive, (IMAGES[i] as [string, string])[1]);
    await cluster.kubectl(['create', 'namespace', NS]);
  }, 1_800_000);
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.quit().catch(() => undefined)));
    await cluster?.stop();
  }, 180_000);

  const deploy = async (deletionCost: boolean) => {
    const objects = fitSharedGrid(await renderKustomization(join(K8S_DIR, 'overlays/grid-keda-exporter')), {
      nodes: 3,
      deletionCost,
    });
    await cluster.kubectl(['apply', '--server-side', '-n', NS, '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
    });
    await cluster.kubectl(['-n', NS, 'rollout', 'status', 'deployment/selenium-hub', '--timeout=300s'], {
      timeoutMs: 310_000,
    });
    await cluster.kubectl(
      ['-n', NS, 'rollout', 'status', 'deployment/selenium-node-chrome', '--timeout=600s'],
      { timeoutMs: 610_000 },
    );
    const ip = (
      await cluster.kubectl(['-n', NS, 'get', 'service', 'selenium-hub', '-o', 'jsonpath={.spec.clusterIP}'])
    ).trim();
    hubUrl = `http://${ip}:4444`;
    // Two sessions, each on its own node (one slot per node): one node stays idle.
    for (let i = 0; i < 2; i++)
      drivers.push(
        await new Builder().usingServer(hubUrl).withCapabilities({ browserName: 'chrome' }).build(),
      );
    const busy = await busyNodeIps(hubUrl);
    expect(busy).toHaveLength(2);
    return busy;
  };

  test('with the deletion-cost controller: the ReplicaSet removes the idle pod; a busy pod going away waits in preStop until its session ends', async () => {
    const busy = await deploy(true);
    // grid-exporter annotates: busy pods high, the idle one low.
    const pods = await waitUntil(
      async () => {
        const current = await nodePods(cluster);
        const ok = current.every((p) => p.cost === (busy.includes(p.ip) ? '1000' : '-1000'));
        return ok ? current : undefined;
      },
      { what: 'grid-exporter to annotate busy and idle node pods', timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const idle = pods.find((p) => !busy.includes(p.ip)) as NodePod;
    await cluster.kubectl(['-n', NS, 'scale', 'deployment/selenium-node-chrome', '--replicas=2']);
    const chosen = await waitUntil(async () => (await nodePods(cluster)).find((p) => p.deleting), {
      what: 'the ReplicaSet to pick a pod',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(chosen.name).toBe(idle.name);
    // Both sessions survive.
    for (const driver of drivers) expect(await driver.getCurrentUrl()).toBeTypeOf('string');

    // Down to one: a busy pod must go; drain-hook (preStop) holds it while its session runs.
    await waitUntil(async () => !(await nodePods(cluster)).some((p) => p.name === idle.name), {
      what: 'the idle pod to be gone',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    await cluster.kubectl(['-n', NS, 'scale', 'deployment/selenium-node-chrome', '--replicas=1']);
    const leaving = await waitUntil(async () => (await nodePods(cluster)).find((p) => p.deleting), {
      what: 'a busy pod to be picked',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(busy).toContain(leaving.ip);
    await new Promise((r) => setTimeout(r, 10_000));
    // Ten seconds into its termination, the pod is still there and every session still answers.
    expect((await nodePods(cluster)).find((p) => p.name === leaving.name)?.deleting).toBe(true);
    for (const driver of drivers) expect(await driver.getCurrentUrl()).toBeTypeOf('string');
    // End the sessions: the leaving pod goes soon after (drain-hook returns, the node exits).
    const ended = Date.now();
    await Promise.all(drivers.splice(0).map((d) => d.quit()));
    await waitUntil(async () => !(await nodePods(cluster)).some((p) => p.name === leaving.name), {
      what: 'the drained pod to go once its session ended',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    console.log(`the drained pod went ${((Date.now() - ended) / 1000).toFixed(1)} s after its session ended`);
  }, 1_500_000);
});
