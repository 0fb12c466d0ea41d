// Benchmark: the local single-node Kubernetes cluster (scripts/cluster.sh, test-support's
// startLocalCluster), with its build cached. Prints:
// - warm start: startLocalCluster() until the node is Ready and until cluster DNS answers, median
//   of CLUSTER_BENCH_STARTS (default 3) starts;
// - memory: the resident set of every cluster process (control plane, containerd, its shims,
//   kubelet, kube-proxy and the CoreDNS pod), summed, on the idle cluster;
// - the scrape Job (overlay scrape-job, the demo spec without its embulk section, the bundled demo
//   site, images already imported) from apply to Complete, against the baseline `bash
//   scripts/demo.sh` (the same scrape by processes on this machine, then Embulk into PostgreSQL),
//   as a ratio: the cluster's overhead. The demo does more (PostgreSQL, Embulk), so the ratio
//   understates the overhead; the worker's own time in each is printed too. Run twice: as shipped,
//   with each container's CPU (average and peak) and memory (peak) measured, the figures its sizes
//   come from; and with the sizes shipped before they were measured (chrome limited to 500m CPU and
//   one session, the worker 2 CPUs), the named baseline of the change.
// The cold build is measured by bench/cold-build.sh (empty caches).
//
//   sudo pnpm --filter @scrapegrid/k8s bench:cluster
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clusterLayout, type LocalCluster, startLocalCluster } from '@scrapegrid/local-cluster';
import { startFixtureSite } from '@scrapegrid/test-support';
import { clusterImages, importClusterImages, SELENIUM_TAG } from '../test/cluster/build-cluster-images.ts';
import { kubeList } from '../test/cluster/kube-list.ts';
import { fitScrapeJob } from '../test/cluster/scrape-job-objects.ts';
import type { K8sObject } from '../test/k8s-object.ts';
import { containersIn } from '../test/pod-templates.ts';
import { renderKustomization } from '../test/render-kustomization.ts';
import { K8S_DIR } from '../test/rendered-variants.ts';
import { type PodUsage, podUsage } from './pod-usage.ts';

const run = promisify(execFile);
const STARTS = Number(process.env.CLUSTER_BENCH_STARTS ?? 3);
const NS = 'scrapegrid';
const ROOT = join(K8S_DIR, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface JobTimes {
  /** apply -> the Job controller's Complete. */
  jobMs: number;
  /** The worker container's startedAt -> finishedAt. */
  workerMs: number;
  /** What each of the pod's three containers used. */
  usage: PodUsage[];
}

/** Applies the scrape Job, waits for Complete, reads the worker's run time, deletes the Job. */
async function runJob(cluster: LocalCluster, objects: K8sObject[]): Promise<JobTimes> {
  const list = kubeList(objects);
  const t0 = performance.now();
  const sampling = podUsage(
    cluster,
    ['worker', 'hub', 'chrome'].map((container) => ({
      name: container,
      namespace: NS,
      prefix: 'scrape-job',
      container,
    })),
    2_000,
  );
  await cluster.kubectl(['apply', '--server-side', '-n', NS, '-f', '-'], { input: list });
  await cluster.kubectl(['-n', NS, 'wait', '--for=condition=Complete', 'job/scrape-job', '--timeout=900s'], {
    timeoutMs: 920_000,
  });
  const jobMs = performance.now() - t0;
  const usage = await sampling.stop();
  const pods = JSON.parse(
    await cluster.kubectl(['-n', NS, 'get', 'pods', '-l', 'job-name=scrape-job', '-o', 'json']),
  );
  const worker = pods.items[0].status.containerStatuses.find((s: { name: string }) => s.name === 'worker');
  const { startedAt, finishedAt } = worker.state.terminated;
  await cluster.kubectl(['delete', '-n', NS, '--wait=true', '--cascade=foreground', '-f', '-'], {
    input: list,
    timeoutMs: 180_000,
  });
  return { jobMs, workerMs: Date.parse(finishedAt) - Date.parse(startedAt), usage };
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** Every process of the cluster: the tracked ones, containerd's shims of this run, the pods' processes. */
async function clusterPids(cluster: LocalCluster): Promise<number[]> {
  const pids = new Set(Object.values(cluster.processes).map((p) => p.pid));
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('containerd-shim') && cmdline.includes(cluster.runDir)) pids.add(Number(entry));
    const cgroup = await readFile(`/proc/${entry}/cgroup`, 'utf8').catch(() => '');
    if (/:memory:\/kubepods\//.test(cgroup)) pids.add(Number(entry));
  }
  return [...pids];
}

// 1. Warm starts and idle memory.
const nodeReadyMs: number[] = [];
const dnsReadyMs: number[] = [];
let memoryMb = 0;
for (let i = 1; i <= STARTS; i++) {
  const t0 = performance.now();
  let nodeReady = 0;
  const cluster = await startLocalCluster({
    log: (line) => {
      if (line === 'node Ready') nodeReady = performance.now() - t0;
    },
  });
  try {
    dnsReadyMs.push(performance.now() - t0);
    nodeReadyMs.push(nodeReady);
    console.log(
      `start ${i}/${STARTS}: node Ready ${seconds(nodeReady)}, DNS ready ${seconds(performance.now() - t0)}`,
    );
    if (i === STARTS) {
      await new Promise((r) => setTimeout(r, 10_000)); // settled: idle memory
      const kb = (await Promise.all((await clusterPids(cluster)).map(rssKb))).reduce((a, b) => a + b, 0);
      memoryMb = kb / 1024;
    }
  } finally {
    await cluster.stop();
  }
}

// 2. The scrape Job in the cluster.
const images = await clusterImages([
  'scrapegrid/worker:0.1.0',
  'scrapegrid/pod-tools:0.1.0',
  `selenium/hub:${SELENIUM_TAG}`,
  `selenium/node-chrome:${SELENIUM_TAG}`,
]);
const cluster = await startLocalCluster();
const site = await startFixtureSite({ host: clusterLayout.bridgeIp });
let shipped: JobTimes;
let before: JobTimes;
try {
  await importClusterImages(cluster, images);
  const example = await readFile(join(ROOT, 'packages/worker/examples/products.yaml'), 'utf8');
  const spec = example.slice(0, example.search(/^embulk:/m)).replaceAll('http://127.0.0.1:8080', site.url);
  const objects = fitScrapeJob(await renderKustomization(join(K8S_DIR, 'overlays/scrape-job')), {
    jobSpec: spec,
  });
  await cluster.kubectl(['create', 'namespace', NS]);
  shipped = await runJob(cluster, objects);
  before = await runJob(cluster, withSizesBeforeMeasurement(objects));
} finally {
  await cluster.stop();
  await site.close();
}

// 3. The baseline: the README's demo.
const d0 = performance.now();
const demo = await run('bash', [join(ROOT, 'scripts/demo.sh')], { timeout: 900_000, maxBuffer: 64 << 20 });
const demoMs = performance.now() - d0;
const demoWorker = /worker exited 0 after ([\d.]+) s/.exec(demo.stdout)?.[1];

console.log(
  `warm start (median of ${STARTS}): node Ready ${seconds(median(nodeReadyMs))}, cluster DNS ready ${seconds(median(dnsReadyMs))}`,
);
console.log(
  `memory of the idle cluster (RSS of every cluster process, CoreDNS included): ${memoryMb.toFixed(0)} MiB`,
);
for (const [label, job] of [
  ['as shipped', shipped],
  ['with the sizes before measurement (chrome 500m CPU, 1 session; worker 2 CPUs)', before],
] as const) {
  console.log(
    `scrape Job ${label}, apply -> Complete: ${seconds(job.jobMs)} (the worker's own run ${seconds(job.workerMs)}); ` +
      `baseline bash scripts/demo.sh ${seconds(demoMs)} (its worker ${demoWorker} s, scrape + Embulk); cluster/demo ${(job.jobMs / demoMs).toFixed(2)}x`,
  );
  for (const u of job.usage)
    console.log(
      `  ${u.name}: ${(u.cpuSeconds / (job.jobMs / 1000)).toFixed(2)} CPU on average, ${u.peakCores.toFixed(2)} at peak, ${u.peakMiB} MiB at peak`,
    );
}
console.log(
  `cluster/demo as shipped ${(shipped.jobMs / demoMs).toFixed(2)}x, before ${(before.jobMs / demoMs).toFixed(2)}x`,
);

/**
 * The scrape Job's pod as shipped before its sizes were measured (requests lowered as the tests
 * did, to fit the 2-core node): worker 2 CPUs, hub and chrome 500m each, chrome one session.
 */
function withSizesBeforeMeasurement(objects: K8sObject[]): K8sObject[] {
  const old = structuredClone(objects);
  const sizes: Record<string, { request: string; limit: string; memory: string }> = {
    worker: { request: '500m', limit: '2', memory: '2Gi' },
    hub: { request: '250m', limit: '500m', memory: '2000Mi' },
    chrome: { request: '250m', limit: '500m', memory: '2000Mi' },
  };
  for (const { container } of containersIn(old)) {
    const size = sizes[container.name];
    if (!size) continue;
    container.resources = {
      requests: { cpu: size.request, memory: size.memory },
      limits: { cpu: size.limit, memory: size.memory },
    };
    if (container.name === 'chrome')
      for (const env of container.env ?? []) if (env.name === 'SE_NODE_MAX_SESSIONS') env.value = '1';
  }
  return old;
}
