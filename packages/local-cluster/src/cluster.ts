import { execFile } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  currentRunId,
  GiveUpWaiting,
  spawnTracked,
  type TrackedProcess,
  waitUntil,
} from '@scrapegrid/process-group';
import { clusterBaseImages } from './cluster-base-images.ts';
import { type ClusterBinaries, clusterBinaries, requireNetworkPolicyBinaries } from './cluster-binaries.ts';
import { setUpClusterBridge } from './cluster-bridge.ts';
import { clusterCommandLines } from './cluster-command-lines.ts';
import { type ClusterFiles, type ClusterPorts, writeClusterFiles } from './cluster-config-files.ts';
import { clusterDnsManifests } from './cluster-dns-manifests.ts';
import { readClusterSysctls, type SysctlValues, writeSysctls } from './cluster-host-state.ts';
import { clusterLayout as L } from './cluster-layout.ts';
import { acquireClusterLock } from './cluster-lock.ts';
import { writeClusterPki } from './cluster-pki.ts';
import { type SweepReport, sweepCluster } from './cluster-sweep.ts';
import { containerdClient } from './containerd-client.ts';
import { type KubectlClient, kubectlClient } from './kubectl-client.ts';
import { listenPorts } from './listen-ports.ts';

const run = promisify(execFile);

/** Where run directories live; each run's is removed at stop, and stale ones at the next start. */
export const CLUSTER_RUNS_DIR = '/var/lib/scrapegrid-cluster';

export interface LocalClusterOptions {
  /** Deadline for the whole start, up to a Ready node and a ready cluster DNS (default 300 s). */
  startupTimeoutMs?: number;
  /** How long to wait for another local cluster to release the machine (default 600 s). */
  lockTimeoutMs?: number;
  /** The API server's etcd compaction interval in seconds (default 300, as Kubernetes). */
  etcdCompactionIntervalSeconds?: number;
  /** Appended to the API server's flags, e.g. `--min-request-timeout=5` to end watches early. */
  extraApiserverArgs?: readonly string[];
  /**
   * Enforce NetworkPolicy: run kube-router's firewall controller (iptables + ipset) on the node.
   * Off by default: it needs its own build (scripts/build-kube-router.sh), and the shipped
   * policies name the API server by port 443/6443, which this cluster's API server does not use.
   */
  networkPolicy?: boolean;
  /** Progress lines ("etcd up", "node Ready", ...). */
  log?: (line: string) => void;
}

export interface LocalCluster extends KubectlClient {
  readonly kubernetesVersion: string;
  /** An admin (system:masters) kubeconfig; `KUBECONFIG=<it> kubectl …` works from any shell. */
  readonly kubeconfig: string;
  readonly apiserverUrl: string;
  readonly caCert: string;
  readonly runDir: string;
  readonly binaries: ClusterBinaries;
  readonly nodeName: string;
  readonly processes: Readonly<Record<string, TrackedProcess>>;
  // kubectl / kubectlResult (KubectlClient): the cluster's own kubectl as admin.
  /** Imports an OCI archive into the node's containerd under `name` (e.g. `docker.io/scrapegrid/worker:0.1.0`). */
  importImage(archive: string, name: string): Promise<void>;
  /** Image names the node's containerd holds. */
  images(): Promise<string[]>;
  /** Stops every process and removes everything the run made; returns what the sweep found. Safe to call twice. */
  stop(): Promise<SweepReport>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a real single-node Kubernetes cluster on this machine: etcd, kube-apiserver (x509 and
 * ServiceAccount token authentication, Node + RBAC authorization, the default admission plugins),
 * kube-controller-manager, kube-scheduler, containerd + runc with the CNI bridge, a kubelet,
 * kube-proxy (iptables) and CoreDNS (and with `networkPolicy`, kube-router's NetworkPolicy firewall).
 * Resolves once the node is Ready and cluster DNS answers.
 * Holds the machine's cluster lock until stop(); on any failure everything started is removed.
 * A start that loses a port to another listener between the pick and the bind (EADDRINUSE) is
 * made again on new ports, up to three times.
 */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !lostAPort(error)) throw error;
      options.log?.(`a port was taken before its server bound it; starting again (attempt ${attempt + 1})`);
    }
  }
}

// --- internal ---

const START_ATTEMPTS = 3;

/** The ports each start listens on, all picked below the ephemeral range (listenPorts). */
const PORT_NAMES = [
  'etcdClient',
  'etcdPeer',
  'apiserver',
  'controllerManager',
  'scheduler',
  'kubelet',
  'kubeletHealthz',
  'kubeProxyHealthz',
  'kubeProxyMetrics',
] as const satisfies readonly (keyof ClusterPorts)[];

function lostAPort(error: unknown): boolean {
  return error instanceof Error && /address already in use|EADDRINUSE/.test(error.message);
}

async function startOnce(options: LocalClusterOptions): Promise<LocalCluster> {
  const log = options.log ?? (() => {});
  const startupTimeoutMs = options.startupTimeoutMs ?? 300_000;
  const bins = clusterBinaries();
  if (options.networkPolicy) requireNetworkPolicyBinaries(bins);
  const lock = await acquireClusterLock(options.lockTimeoutMs ?? 600_000);
  // Leftovers of a run that died without stopping (the lock is ours, so none of them is live).
  await mkdir(CLUSTER_RUNS_DIR, { recursive: true });
  for (const stale of await readdir(CLUSTER_RUNS_DIR))
    await sweepCluster({ runDir: join(CLUSTER_RUNS_DIR, stale), kubeProxy: bins.kubeProxy });

  const runDir = join(
    CLUSTER_RUNS_DIR,
    `${currentRunId()
      .replace(/[^\w.-]/g, '_')
      .slice(0, 24)}-${Date.now().toString(36)}`,
  );
  const processes: Record<string, TrackedProcess> = {};
  const sysctls: SysctlValues = await readClusterSysctls();
  let stopped: Promise<SweepReport> | undefined;

  const stop = () => {
    stopped ??= (async () => {
      // The node first (so nothing restarts containers), the control plane last.
      for (const name of [
        'kube-router',
        'kube-proxy',
        'kubelet',
        'containerd',
        'kube-scheduler',
        'kube-controller-manager',
        'kube-apiserver',
        'etcd',
      ])
        await processes[name]?.stop(10_000);
      const report = await sweepCluster({ runDir, kubeProxy: bins.kubeProxy });
      await writeSysctls(sysctls);
      await lock.stop(1_000);
      return report;
    })();
    return stopped;
  };

  const deadline = Date.now() + startupTimeoutMs;
  const remaining = () => Math.max(1_000, deadline - Date.now());
  const start = (name: string, line: { command: string; args: string[] }) => {
    processes[name] = spawnTracked(name, line.command, line.args, { cwd: runDir });
    return processes[name];
  };
  const alive = (...names: string[]) => {
    for (const name of names) {
      const proc = processes[name] as TrackedProcess;
      if (!proc.isRunning())
        throw new GiveUpWaiting(`${proc.name} exited during start-up:\n${proc.output().slice(-3000)}`);
    }
  };
  /** One stage of the start: wait for `probe` while the named processes live. */
  const stage = (what: string, names: string[], probe: () => Promise<boolean>, intervalMs = 500) =>
    waitUntil(
      async () => {
        alive(...names);
        return probe();
      },
      { what, timeoutMs: remaining(), intervalMs },
    );

  let files: ClusterFiles | undefined;
  const ready = () => {
    if (!files) throw new Error('the cluster is not configured yet');
    return files;
  };
  const { kubectl, kubectlResult } = kubectlClient(bins.kubectl, () => ready().adminKubeconfig);
  const containerd = containerdClient(bins.ctr, () => ready().containerdSocket);

  try {
    await mkdir(runDir, { recursive: true });
    await writeFile(
      join(runDir, 'state.json'),
      `${JSON.stringify({ runDir, sysctls, pid: process.pid }, null, 2)}\n`,
    );
    // Pod volumes are mounts below the kubelet's directory: give them a shared mount to live on.
    await run('mount', ['--bind', runDir, runDir]);
    await run('mount', ['--make-rshared', runDir]);
    await setUpClusterBridge();

    const picked = await listenPorts(PORT_NAMES.length);
    const ports: ClusterPorts = Object.fromEntries(
      PORT_NAMES.map((name, i) => [name, picked[i] as number]),
    ) as Record<(typeof PORT_NAMES)[number], number>;
    const pki = await writeClusterPki(join(runDir, 'pki'), {
      nodeName: L.nodeName,
      apiserverIps: [L.bridgeIp, L.kubernetesServiceIp],
      nodeIp: L.bridgeIp,
    });
    files = await writeClusterFiles(runDir, pki, ports, bins);
    const lines = clusterCommandLines(bins, files, pki, ports, {
      etcdCompactionIntervalSeconds: options.etcdCompactionIntervalSeconds,
      extraApiserverArgs: options.extraApiserverArgs,
    });

    // Built (or found in the cache) while etcd and the API server start.
    const baseImages = clusterBaseImages(bins);
    baseImages.catch(() => {});

    start('etcd', lines.etcd);
    await stage(
      'etcd /health',
      ['etcd'],
      async () => (await fetch(`http://127.0.0.1:${ports.etcdClient}/health`)).ok,
      200,
    );
    log('etcd up');
    start('kube-apiserver', lines.apiserver);
    await stage(
      'kube-apiserver /readyz',
      ['kube-apiserver'],
      async () =>
        (await kubectlResult(['get', '--raw', '/readyz'], { timeoutMs: 10_000 })).stdout.trim() === 'ok',
    );
    log('kube-apiserver ready');
    start('kube-controller-manager', lines.controllerManager);
    start('kube-scheduler', lines.scheduler);
    start('containerd', lines.containerd);
    await stage(
      'containerd to answer',
      ['containerd'],
      async () => {
        await containerd.ctr(['version'], 5_000);
        return true;
      },
      200,
    );
    for (const image of await baseImages) await containerd.importImage(image.archive, image.name);
    log('containerd up, pause and CoreDNS images imported');
    start('kubelet', lines.kubelet);
    await stage(
      `node ${L.nodeName} to be Ready`,
      ['kubelet', 'kube-controller-manager', 'kube-scheduler'],
      async () =>
        (
          await kubectl(
            ['get', 'node', L.nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'],
            { timeoutMs: 10_000 },
          )
        ).trim() === 'True',
    );
    log('node Ready');
    start('kube-proxy', lines.kubeProxy);
    if (options.networkPolicy) {
      start('kube-router', lines.kubeRouter);
      // Its chains exist once its caches synced and the controller runs: from then on a policy
      // (and every pod change) is written to iptables as it happens.
      await stage(
        'kube-router to install its NetworkPolicy chains',
        ['kube-router'],
        async () =>
          await run('iptables', ['-t', 'filter', '-S', 'KUBE-NWPLCY-DEFAULT']).then(
            () => true,
            () => false,
          ),
      );
      log('kube-router enforcing NetworkPolicy');
    }
    await kubectl(['apply', '--server-side', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: clusterDnsManifests() }),
    });
    await stage(
      'cluster DNS (CoreDNS) to be ready',
      ['kube-proxy'],
      async () =>
        (
          await kubectl([
            '-n',
            'kube-system',
            'get',
            'deployment',
            'coredns',
            '-o',
            'jsonpath={.status.readyReplicas}',
          ])
        ).trim() === '1',
    );
    // A ready CoreDNS pod is not yet a Service that answers: kube-proxy programs the kube-dns
    // endpoints a moment later, and a query before that is refused (seen in CI). Every user of the
    // cluster resolves names through the Service IP, so that is what "ready" waits for.
    const resolver = new Resolver({ timeout: 1_000, tries: 1 });
    resolver.setServers([L.dnsServiceIp]);
    await stage(
      `cluster DNS to answer through ${L.dnsServiceIp}`,
      ['kube-proxy'],
      async () => {
        try {
          return (
            (await resolver.resolve4(`kubernetes.default.svc.${L.clusterDomain}`))[0] ===
            L.kubernetesServiceIp
          );
        } catch {
          return false;
        }
      },
      250,
    );
    log('cluster DNS ready');
  } catch (error) {
    const logs = Object.values(processes)
      .map((p) => `--- ${p.name} (last lines) ---\n${p.output().slice(-1500)}`)
      .join('\n');
    await stop();
    if (error instanceof Error) error.message += `\n${logs}`;
    throw error;
  }

  const configured = ready();
  return {
    kubernetesVersion: bins.kubernetesVersion,
    kubeconfig: configured.adminKubeconfig,
    apiserverUrl: configured.apiserverUrl,
    caCert: join(runDir, 'pki', 'ca.crt'),
    runDir,
    binaries: bins,
    nodeName: L.nodeName,
    processes,
    kubectl,
    kubectlResult,
    importImage: containerd.importImage,
    images: containerd.images,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}
