import { execFile } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../free-port.ts';
import { currentRunId, spawnTracked, type TrackedProcess } from '../tracked-process.ts';
import { GiveUpWaiting, waitUntil } from '../wait-until.ts';
import { clusterBaseImages } from './cluster-base-images.ts';
import { type ClusterBinaries, clusterBinaries } from './cluster-binaries.ts';
import { clusterCommandLines } from './cluster-command-lines.ts';
import { type ClusterFiles, type ClusterPorts, writeClusterFiles } from './cluster-config-files.ts';
import { clusterDnsManifests } from './cluster-dns-manifests.ts';
import { readClusterSysctls, type SysctlValues, writeSysctls } from './cluster-host-state.ts';
import { clusterLayout as L } from './cluster-layout.ts';
import { acquireClusterLock } from './cluster-lock.ts';
import { writeClusterPki } from './cluster-pki.ts';
import { type SweepReport, sweepCluster } from './cluster-sweep.ts';

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
  /** Progress lines ("etcd up", "node Ready", ...). */
  log?: (line: string) => void;
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export class KubectlFailed extends Error {
  readonly code = 'KUBECTL_FAILED';
  readonly result: KubectlResult;
  constructor(message: string, result: KubectlResult) {
    super(message);
    this.result = result;
  }
}

export interface LocalCluster {
  readonly kubernetesVersion: string;
  /** An admin (system:masters) kubeconfig; `KUBECONFIG=<it> kubectl …` works from any shell. */
  readonly kubeconfig: string;
  readonly apiserverUrl: string;
  readonly caCert: string;
  readonly runDir: string;
  readonly binaries: ClusterBinaries;
  readonly nodeName: string;
  readonly processes: Readonly<Record<string, TrackedProcess>>;
  /** Runs the cluster's own kubectl as admin; rejects with KubectlFailed on a non-zero exit. */
  kubectl(args: readonly string[], options?: { input?: string; timeoutMs?: number }): Promise<string>;
  /** The same, resolving with the exit code instead of rejecting (for expected refusals). */
  kubectlResult(
    args: readonly string[],
    options?: { input?: string; timeoutMs?: number },
  ): Promise<KubectlResult>;
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
 * kube-proxy (iptables) and CoreDNS. Resolves once the node is Ready and cluster DNS answers.
 * Holds the machine's cluster lock until stop(); on any failure everything started is removed.
 */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const log = options.log ?? (() => {});
  const startupTimeoutMs = options.startupTimeoutMs ?? 300_000;
  const bins = clusterBinaries();
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
  const alive = (proc: TrackedProcess) => {
    if (!proc.isRunning())
      throw new GiveUpWaiting(`${proc.name} exited during start-up:\n${proc.output().slice(-3000)}`);
  };

  let files: ClusterFiles | undefined;
  const kubectlResult = async (
    args: readonly string[],
    opts: { input?: string; timeoutMs?: number } = {},
  ) => {
    if (!files) throw new Error('the cluster has no kubeconfig yet');
    return kubectlRun(bins.kubectl, files.adminKubeconfig, args, opts);
  };
  const kubectl = async (args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}) => {
    const result = await kubectlResult(args, opts);
    if (result.code !== 0)
      throw new KubectlFailed(
        `kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`,
        result,
      );
    return result.stdout;
  };
  const ctr = async (args: string[], timeoutMs = 300_000) => {
    if (!files) throw new Error('containerd is not configured yet');
    const { stdout } = await run(
      bins.ctr,
      ['--address', files.containerdSocket, '--namespace', 'k8s.io', ...args],
      {
        timeout: timeoutMs,
        maxBuffer: 16 << 20,
      },
    );
    return stdout;
  };
  const images = async () =>
    (await ctr(['images', 'list', '--quiet'], 30_000))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  const importImage = async (archive: string, name: string) => {
    const before = new Set(await images());
    const out = await ctr(['images', 'import', '--no-unpack=false', archive]);
    const after = await images();
    if (after.includes(name)) return;
    // An archive names its image by its own reference: tag what it brought under the wanted name.
    const imported =
      after.find((i) => !before.has(i) && !i.startsWith('sha256:')) ?? /unpacking (\S+)/.exec(out)?.[1];
    if (!imported) throw new Error(`importing ${archive} into containerd brought no named image:\n${out}`);
    await ctr(['images', 'tag', '--force', imported, name], 60_000);
  };

  try {
    await mkdir(runDir, { recursive: true });
    await writeFile(
      join(runDir, 'state.json'),
      `${JSON.stringify({ runDir, sysctls, pid: process.pid }, null, 2)}\n`,
    );
    // Pod volumes are mounts below the kubelet's directory: give them a shared mount to live on.
    await run('mount', ['--bind', runDir, runDir]);
    await run('mount', ['--make-rshared', runDir]);
    await setUpBridge();

    const ports: ClusterPorts = {
      etcdClient: await freePort(),
      etcdPeer: await freePort(),
      apiserver: await freePort(),
      controllerManager: await freePort(),
      scheduler: await freePort(),
      kubelet: await freePort(),
      kubeletHealthz: await freePort(),
      kubeProxyHealthz: await freePort(),
      kubeProxyMetrics: await freePort(),
    };
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

    const etcd = start('etcd', lines.etcd);
    await waitUntil(
      async () => {
        alive(etcd);
        const res = await fetch(`http://127.0.0.1:${ports.etcdClient}/health`);
        return res.ok;
      },
      { what: 'etcd /health', timeoutMs: remaining(), intervalMs: 200 },
    );
    log('etcd up');
    const apiserver = start('kube-apiserver', lines.apiserver);
    await waitUntil(
      async () => {
        alive(apiserver);
        return (
          (await kubectlResult(['get', '--raw', '/readyz'], { timeoutMs: 10_000 })).stdout.trim() === 'ok'
        );
      },
      { what: 'kube-apiserver /readyz', timeoutMs: remaining(), intervalMs: 500 },
    );
    log('kube-apiserver ready');
    start('kube-controller-manager', lines.controllerManager);
    start('kube-scheduler', lines.scheduler);
    const containerd = start('containerd', lines.containerd);
    await waitUntil(
      async () => {
        alive(containerd);
        await ctr(['version'], 5_000);
        return true;
      },
      { what: 'containerd to answer', timeoutMs: remaining(), intervalMs: 200 },
    );
    for (const image of await baseImages) await importImage(image.archive, image.name);
    log('containerd up, pause and CoreDNS images imported');
    const kubelet = start('kubelet', lines.kubelet);
    await waitUntil(
      async () => {
        alive(kubelet);
        for (const name of ['kube-controller-manager', 'kube-scheduler'])
          alive(processes[name] as TrackedProcess);
        const out = await kubectl(
          ['get', 'node', L.nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'],
          {
            timeoutMs: 10_000,
          },
        );
        return out.trim() === 'True';
      },
      { what: `node ${L.nodeName} to be Ready`, timeoutMs: remaining(), intervalMs: 500 },
    );
    log('node Ready');
    start('kube-proxy', lines.kubeProxy);
    await kubectl(['apply', '--server-side', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: clusterDnsManifests() }),
    });
    await waitUntil(
      async () => {
        alive(processes['kube-proxy'] as TrackedProcess);
        const out = await kubectl([
          '-n',
          'kube-system',
          'get',
          'deployment',
          'coredns',
          '-o',
          'jsonpath={.status.readyReplicas}',
        ]);
        return out.trim() === '1';
      },
      { what: 'cluster DNS (CoreDNS) to be ready', timeoutMs: remaining(), intervalMs: 500 },
    );
    // A ready CoreDNS pod is not yet a Service that answers: kube-proxy programs the kube-dns
    // endpoints a moment later, and a query before that is refused (seen in CI). Every user of the
    // cluster resolves names through the Service IP, so that is what "ready" waits for.
    const resolver = new Resolver({ timeout: 1_000, tries: 1 });
    resolver.setServers([L.dnsServiceIp]);
    await waitUntil(
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
      { what: `cluster DNS to answer through ${L.dnsServiceIp}`, timeoutMs: remaining(), intervalMs: 250 },
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

  const ready = files as ClusterFiles;
  return {
    kubernetesVersion: bins.kubernetesVersion,
    kubeconfig: ready.adminKubeconfig,
    apiserverUrl: ready.apiserverUrl,
    caCert: join(runDir, 'pki', 'ca.crt'),
    runDir,
    binaries: bins,
    nodeName: L.nodeName,
    processes,
    kubectl,
    kubectlResult,
    importImage,
    images,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}

async function setUpBridge(): Promise<void> {
  if (!existsSync(`/sys/class/net/${L.bridgeName}`))
    await run('ip', ['link', 'add', L.bridgeName, 'type', 'bridge']);
  await run('ip', ['addr', 'replace', `${L.bridgeIp}/${L.bridgePrefix}`, 'dev', L.bridgeName]);
  await run('ip', ['link', 'set', L.bridgeName, 'up']);
  // Pods reach each other's Services and the outside through the host's forwarding.
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
}

async function kubectlRun(
  kubectl: string,
  kubeconfig: string,
  args: readonly string[],
  { input, timeoutMs = 120_000 }: { input?: string; timeoutMs?: number },
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      kubectl,
      [`--kubeconfig=${kubeconfig}`, ...args],
      { timeout: timeoutMs, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}
