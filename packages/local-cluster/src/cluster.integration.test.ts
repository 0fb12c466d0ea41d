import { execFile } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { currentRunId, findLeftoverProcesses } from '@scrapegrid/process-group';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiGetWithToken } from './api-get-with-token.ts';
import { type LocalCluster, startLocalCluster } from './cluster.ts';
import { clusterLayout as L } from './cluster-layout.ts';
import type { SweepReport } from './cluster-sweep.ts';

const run = promisify(execFile);

describe('the local single-node cluster', () => {
  let cluster: LocalCluster;
  let report: SweepReport | undefined;

  beforeAll(async () => {
    cluster = await startLocalCluster();
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  test('has one Ready node that runs on containerd with the pinned kubelet', async () => {
    const nodes = JSON.parse(await cluster.kubectl(['get', 'nodes', '-o', 'json'])) as {
      items: {
        metadata: { name: string };
        status: { conditions: { type: string; status: string }[]; nodeInfo: Record<string, string> };
      }[];
    };
    expect(nodes.items.map((n) => n.metadata.name)).toEqual([L.nodeName]);
    const node = nodes.items[0] as (typeof nodes.items)[number];
    expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.status.nodeInfo.kubeletVersion).toBe(cluster.kubernetesVersion);
    expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\/1\./);
  });

  test('cluster DNS answers for a Service name through kube-proxy', async () => {
    const resolver = new Resolver({ timeout: 3_000, tries: 2 });
    resolver.setServers([L.dnsServiceIp]);
    expect(await resolver.resolve4(`kubernetes.default.svc.${L.clusterDomain}`)).toEqual([
      L.kubernetesServiceIp,
    ]);
    expect(await resolver.resolve4(`kube-dns.kube-system.svc.${L.clusterDomain}`)).toEqual([L.dnsServiceIp]);
  });

  test('a ServiceAccount token authenticates, and RBAC grants it only what a Role binds', async () => {
    const ns = 'token-check';
    await cluster.kubectl(['create', 'namespace', ns]);
    await cluster.kubectl(['-n', ns, 'create', 'serviceaccount', 'reader']);
    await cluster.kubectl(['-n', ns, 'create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods']);
    await cluster.kubectl([
      '-n',
      ns,
      'create',
      'rolebinding',
      'reader',
      '--role=pod-reader',
      `--serviceaccount=${ns}:reader`,
    ]);
    const token = (await cluster.kubectl(['-n', ns, 'create', 'token', 'reader'])).trim();
    const pods = await apiGetWithToken(cluster, token, `/api/v1/namespaces/${ns}/pods`);
    expect(pods.status).toBe(200);
    expect(JSON.parse(pods.body).kind).toBe('PodList');
    expect((await apiGetWithToken(cluster, token, `/api/v1/namespaces/${ns}/secrets`)).status).toBe(403);
    expect((await apiGetWithToken(cluster, token, '/api/v1/namespaces/kube-system/pods')).status).toBe(403);
    expect((await apiGetWithToken(cluster, 'not-a-token', `/api/v1/namespaces/${ns}/pods`)).status).toBe(401);
  });

  test('stop leaves nothing behind: processes, mounts, cgroups, bridge, iptables rules, tracked connections, run directory', async () => {
    const runDir = cluster.runDir;
    // What a bridge plugin stopped mid-ADD leaves: its pod's chain, tagged ours, that no rule jumps to.
    const orphan = 'CNI-sweep-test-orphan';
    await run('iptables', ['-t', 'nat', '-N', orphan]);
    await run('iptables', [
      '-t',
      'nat',
      '-A',
      orphan,
      '-d',
      L.podCidr,
      '-j',
      'ACCEPT',
      '-m',
      'comment',
      '--comment',
      `name: "${L.cniNetworkName}" id: "orphan"`,
    ]);
    report = await cluster.stop();
    // The pods (CoreDNS) were running: the sweep had containers to kill and mounts to remove.
    expect(report.unmounted.length).toBeGreaterThan(0);
    expect(existsSync(runDir)).toBe(false);
    expect(existsSync(`/sys/class/net/${L.bridgeName}`)).toBe(false);
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    expect(mountinfo.includes(runDir)).toBe(false);
    for (const controller of await readdir('/sys/fs/cgroup'))
      expect(existsSync(`/sys/fs/cgroup/${controller}/kubepods`)).toBe(false);
    const { stdout: nat } = await run('iptables-save', ['-t', 'nat']);
    expect(nat.match(/^:(KUBE-|CNI-)\S+/gm) ?? []).toEqual([]);
    expect(nat.includes(L.cniNetworkName)).toBe(false);
    const { stdout: filter } = await run('iptables-save', ['-t', 'filter']);
    expect(filter.match(/^:KUBE-\S+/gm) ?? []).toEqual([]);
    // No tracked connection of a pod or Service address (the next cluster reuses them).
    const tracked = (cidr: string) =>
      run('conntrack', ['-L', '--orig-dst', cidr]).then(
        ({ stdout }) => stdout.trim(),
        () => '',
      );
    expect(await tracked(L.podCidr)).toBe('');
    expect(await tracked(L.serviceCidr)).toBe('');
    const left = (await findLeftoverProcesses(currentRunId())).map((p) => p.command);
    expect(left).toEqual([]);
  });
});
