// Benchmark: the local single-node Kubernetes cluster (scripts/cluster.sh, test-support's
// startLocalCluster). Prints:
// - warm start: startLocalCluster() until the node is Ready and until cluster DNS is ready (build
//   cached), median of CLUSTER_BENCH_STARTS (default 3) starts;
// - memory: the resident set of every cluster process (control plane, containerd, kubelet,
//   kube-proxy, containerd's shims and the CoreDNS pod), summed, on an idle cluster;
// - the scrape Job (overlay scrape-job, the demo spec, the bundled demo site) wall time from apply
//   to Complete, against `bash scripts/demo.sh` (the same scrape run by processes on this machine),
//   as a ratio: the cluster's overhead.
// The cold build is measured by bench/cold-build.sh (empty caches).
//
//   pnpm --filter @scrapegrid/k8s bench
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  buildahImageArchive,
  clusterLayout,
  type LocalCluster,
  startFixtureSite,
  startLocalCluster,
} from '@scrapegrid/test-support';
import { fitScrapeJob } from '../test/cluster/scrape-job-objects.ts';
import { renderKustomization } from '../test/render-kustomization.ts';
import { K8S_DIR } from '../test/rendered-variants.ts';

const run = promisify(execFile);
const STARTS = Number(process.env.CLUSTER_BENCH_STARTS ?? 3);
const ROOT = join(K8S_DIR, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** Every process of the cluster: the tracked ones, containerd's shims for this run, and the pods' processes (cgroups). */
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
  dnsReadyMs.push(performance.now() - t0);
  nodeReadyMs.push(nodeReady);
  if (i === STARTS) {
    await new Promise((r) => setTimeout(r, 10_000)); // let it settle: idle memory
    const kb = (await Promise.all((await clusterPids(cluster)).map(rssKb))).reduce((a, b) => a + b, 0);
    memoryMb = kb / 1024;
  }
  console.log(
    `start ${i}/${STARTS}: node Ready after ${(nodeReady / 1000).toFixed(1)} s, DNS ready after ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await cluster.stop();
}
console.log(
  `warm start (median of ${STARTS}): node Ready ${(median(nodeReadyMs) / 1000).toFixed(1)} s, cluster DNS ready ${(median(dnsReadyMs) / 1000).toFixed(1)} s`,
);
console.log(
  `memory of the idle cluster (RSS of every cluster process, CoreDNS pod included): ${memoryMb.toFixed(0)} MiB`,
);

// The scrape Job in the cluster vs the same scrape by scripts/demo.sh.
const images: [string, string][] = [
  ['localhost/scrapegrid/worker:0.1.0', 'docker.io/scrapegrid/worker:0.1.0'],
  ['localhost/scrapegrid/pod-tools:0.1.0', 'docker.io/scrapegrid/pod-tools:0.1.0'],
  ['localhost/selenium/hub:4.48.0-20260905', 'docker.io/selenium/hub:4.48.0-20260905'],
  ['localhost/selenium/node-chrome:4.48.0-20260905', 'docker.io/selenium/node-chrome:4.48.0-20260905'],
];
const archives = await Promise.all(images.map(([ref, name]) => buildahImageArchive(ref, name)));
const cluster = await startLocalCluster();
const site = await startFixtureSite({ host: clusterLayout.bridgeIp });
let jobMs = 0;
try {
  for (const [i, archive] of archives.entries())
    await cluster.importImage(archive, (images[i] as [string, string])[1]);
  const spec = (await readFile(join(ROOT, 'packages/worker/examples/products.yaml'), 'utf8')).replaceAll(
    'http://127.0.0.1:8080',
    site.url,
  );
  const objects = fitScrapeJob(await renderKustomization(join(K8S_DIR, 'overlays/scrape-job')), {
    jobSpec: spec,
  });
  await cluster.kubectl(['create', 'namespace', 'scrapegrid']);
  const t0 = performance.now();
  await cluster.kubectl(['apply', '--server-side', '-n', 'scrapegrid', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });
  await cluster.kubectl(
    ['-n', 'scrapegrid', 'wait', '--for=condition=Complete', 'job/scrape-job', '--timeout=900s'],
    { timeoutMs: 920_000 },
  );
  jobMs = performance.now() - t0;
} finally {
  await cluster.stop();
  await site.close();
}
const d0 = performance.now();
await run('bash', [join(ROOT, 'scripts/demo.sh')], { timeout: 900_000, maxBuffer: 64 << 20 });
const demoMs = performance.now() - d0;
console.log(
  `scrape Job (apply → Complete) ${(jobMs / 1000).toFixed(1)} s; scripts/demo.sh ${(demoMs / 1000).toFixed(1)} s; cluster/demo ${(jobMs / demoMs).toFixed(2)}×`,
);
