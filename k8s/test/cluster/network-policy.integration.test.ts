import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  clusterLayout as L,
  type LocalCluster,
  type SweepReport,
  startLocalCluster,
} from '@scrapegrid/local-cluster';
import { waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { K8sObject } from '../k8s-object.ts';
import { findObject } from '../policies/find-object.ts';
import { renderedVariants } from '../rendered-variants.ts';
import { kubeList } from './kube-list.ts';

/**
 * The network-policy component enforced for real: the local cluster runs kube-router's firewall
 * (iptables + ipset), the overlay's policies are applied as rendered, and small busybox pods
 * carrying the workloads' labels stand in for hub (4444), browser node (5555) and grid-exporter.
 * Every flow is a real TCP connect from one pod to another's pod IP (2 s connect timeout); the
 * server answers `ok`, so a flow either reads `ok` or does not connect.
 */
const NAMESPACE = 'scrapegrid';
const ELSEWHERE = 'elsewhere';
const overlay = (await renderedVariants()).find((v) => v.name === 'grid-keda');
if (!overlay) throw new Error('no grid-keda rendering');
const policies = overlay.objects.filter((o) => o.kind === 'NetworkPolicy');

const run = promisify(execFile);

/** A flow: from a pod (namespace/name) to a stand-in's port. */
const FLOWS = {
  'grid-exporter -> hub:4444': { from: [NAMESPACE, 'exporter'], to: 'hub', port: 4444 },
  'hub -> node:5555': { from: [NAMESPACE, 'hub'], to: 'node', port: 5555 },
  'node -> hub:4444': { from: [NAMESPACE, 'node'], to: 'hub', port: 4444 },
  'grid-exporter -> node:5555': { from: [NAMESPACE, 'exporter'], to: 'node', port: 5555 },
  'unlabelled pod -> hub:4444': { from: [NAMESPACE, 'stranger'], to: 'hub', port: 4444 },
  'other namespace -> hub:4444': { from: [ELSEWHERE, 'outsider'], to: 'hub', port: 4444 },
  'other namespace -> node:5555': { from: [ELSEWHERE, 'outsider'], to: 'node', port: 5555 },
} as const satisfies Record<string, { from: readonly [string, string]; to: 'hub' | 'node'; port: number }>;
type Flow = keyof typeof FLOWS;

const ALL_CONNECT = Object.fromEntries(Object.keys(FLOWS).map((f) => [f, true])) as Record<Flow, boolean>;
/** What the shipped policies allow among these pods: exactly the shared Grid's own flows. */
const ENFORCED: Record<Flow, boolean> = {
  'grid-exporter -> hub:4444': true,
  'hub -> node:5555': true,
  'node -> hub:4444': true,
  'grid-exporter -> node:5555': false,
  'unlabelled pod -> hub:4444': false,
  'other namespace -> hub:4444': false,
  'other namespace -> node:5555': false,
};

describe('the network-policy component on a cluster that enforces NetworkPolicy (kube-router)', () => {
  let cluster: LocalCluster;
  const podIps: Record<string, string> = {};

  beforeAll(async () => {
    cluster = await startLocalCluster({ networkPolicy: true });
    // The overlay's own Namespace (Pod Security `restricted` enforced), as `kubectl apply -k` makes it.
    await cluster.kubectl(['apply', '--server-side', '-f', '-'], {
      input: kubeList([findObject(overlay.objects, 'Namespace', NAMESPACE)]),
    });
    await cluster.kubectl(['create', 'namespace', ELSEWHERE]);
    for (const ns of [NAMESPACE, ELSEWHERE])
      await waitUntil(
        async () => (await cluster.kubectlResult(['get', '-n', ns, 'serviceaccount', 'default'])).code === 0,
        { what: `the default ServiceAccount of ${ns}`, timeoutMs: 30_000, intervalMs: 250 },
      );
    await cluster.kubectl(['apply', '-f', '-'], {
      input: kubeList([
        standIn(NAMESPACE, 'hub', { 'app.kubernetes.io/name': 'selenium-hub' }, 4444),
        standIn(NAMESPACE, 'node', { 'app.kubernetes.io/component': 'browser-node' }, 5555),
        standIn(NAMESPACE, 'exporter', { 'app.kubernetes.io/name': 'grid-exporter' }),
        standIn(NAMESPACE, 'stranger', {}),
        standIn(ELSEWHERE, 'outsider', {}),
      ]),
    });
    for (const ns of [NAMESPACE, ELSEWHERE])
      await cluster.kubectl(['wait', '-n', ns, '--for=condition=Ready', 'pod', '--all', '--timeout=90s'], {
        timeoutMs: 100_000,
      });
    for (const name of ['hub', 'node'])
      podIps[name] = (
        await cluster.kubectl(['get', '-n', NAMESPACE, 'pod', name, '-o', 'jsonpath={.status.podIP}'])
      ).trim();
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  /** true when `from` read the stand-in's `ok` through a TCP connection. */
  async function connects(flow: Flow): Promise<boolean> {
    const { from, to, port } = FLOWS[flow];
    const [ns, pod] = from;
    const ip = podIps[to] as string;
    const result = await cluster.kubectlResult(
      ['exec', '-n', ns, pod, '--', '/bin/busybox', 'nc', '-w', '2', ip, String(port)],
      { timeoutMs: 15_000 },
    );
    return result.code === 0 && result.stdout.trim() === 'ok';
  }

  async function allFlows(): Promise<Record<Flow, boolean>> {
    const seen = {} as Record<Flow, boolean>;
    for (const flow of Object.keys(FLOWS) as Flow[]) seen[flow] = await connects(flow);
    return seen;
  }

  /** Waits (deadline 60 s) until kube-router has written the change in, then returns every flow. */
  async function flowsOnce(expected: Record<Flow, boolean>, what: string): Promise<Record<Flow, boolean>> {
    let last = {} as Record<Flow, boolean>;
    await waitUntil(
      async () => {
        last = await allFlows();
        return JSON.stringify(last) === JSON.stringify(expected);
      },
      { what, timeoutMs: 60_000, intervalMs: 1_000 },
    ).catch(() => undefined);
    return last;
  }

  test('without policies every probe connects (the probes work)', async () => {
    expect(policies.map((p) => p.metadata.name)).toContain('default-deny');
    expect(await flowsOnce(ALL_CONNECT, 'every flow to connect')).toEqual(ALL_CONNECT);
  }, 120_000);

  test("with the overlay's policies only the shared Grid's own flows connect", async () => {
    await cluster.kubectl(['apply', '--server-side', '-n', NAMESPACE, '-f', '-'], {
      input: kubeList(policies),
    });
    expect(await flowsOnce(ENFORCED, 'the policies to be enforced')).toEqual(ENFORCED);
  }, 120_000);

  test('with the policies deleted the refused flows connect again', async () => {
    await cluster.kubectl(['delete', '-n', NAMESPACE, '-f', '-'], { input: kubeList(policies) });
    expect(await flowsOnce(ALL_CONNECT, 'every flow to connect again')).toEqual(ALL_CONNECT);
  }, 120_000);

  test("stop leaves none of kube-router's chains, ipsets or processes behind", async () => {
    // Enforcing again, so there are policy chains and ipsets for the sweep to find.
    await cluster.kubectl(['apply', '--server-side', '-n', NAMESPACE, '-f', '-'], {
      input: kubeList(policies),
    });
    expect(await flowsOnce(ENFORCED, 'the policies to be enforced again')).toEqual(ENFORCED);
    const ipsetsBefore = await kubeRouterIpsets();
    expect(ipsetsBefore.length).toBeGreaterThan(0);
    const kubeRouterPid = cluster.processes['kube-router']?.pid;
    expect(kubeRouterPid).toBeGreaterThan(0);

    const report: SweepReport = await cluster.stop();
    expect(report.removedIpsets).toBe(ipsetsBefore.length);
    expect(await kubeRouterIpsets()).toEqual([]);
    const { stdout: filter } = await run('iptables-save', ['-t', 'filter']);
    expect(filter.match(/^:KUBE-\S+/gm) ?? []).toEqual([]);
    expect(filter.includes('kube-router')).toBe(false);
    expect(processAlive(kubeRouterPid as number)).toBe(false);
  }, 180_000);
});

// --- internal ---

/**
 * A busybox pod (the image the cluster imports for test pods) with `labels`; with `port`, it
 * answers `ok` to every connection on it. Meets Pod Security `restricted`, which the namespace enforces.
 */
function standIn(namespace: string, name: string, labels: Record<string, string>, port?: number): K8sObject {
  const command = port
    ? ['/bin/busybox', 'nc', '-ll', '-p', String(port), '-e', '/bin/busybox', 'echo', 'ok']
    : ['/bin/busybox', 'sleep', '3600'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: L.busyboxImage,
          imagePullPolicy: 'Never',
          command,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
        },
      ],
    },
  } as K8sObject;
}

async function kubeRouterIpsets(): Promise<string[]> {
  const { stdout } = await run('ipset', ['list', '-n']);
  return stdout.split('\n').filter((name) => /^(inet6:)?KUBE-(SRC|DST)-/.test(name));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
