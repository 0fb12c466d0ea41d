// Benchmark: one crawl, four shapes (issue 21). One fresh local cluster with real KEDA; the demo
// site in it (overlays/demo's demo-site, DEMO_SITE_PRODUCTS = BENCH_PAGES x 10, default 200 listing
// pages) and the demo's PostgreSQL; the same listing pages 1..BENCH_PAGES crawled, one shape after
// another, each into a fresh table:
//   d) the baseline: overlays/scrape-job, one pod with its own hub and Chrome (2 sessions), spec
//      concurrency 2 (run first, before the shared Grid is applied: its pod requests 1.35 CPU);
//   a) overlays/scrape-job-shared-grid on grid-keda-push, 1 shard, concurrency 4;
//   b) 2 shards, parallelism 2, concurrency 2;
//   c) 4 shards, parallelism 4, concurrency 1;
// so each shared shape keeps 4 sessions at a time. Every spec has `delayPerHostMs: 0` (the shipped
// 500 ms per host would cap every shape at 2 pages/s on the one host). Wall time is the Job's apply
// to its Complete; node-pod-s is the browser pods' lives from the apply until the pool is back at 0
// (cooldown 20 s, as the KEDA tests set it; for d, its one pod's life). Records must be exact
// (pages x 10 rows, as many distinct ids) or the bench fails.
//
//   BENCH_PAGES=120 pnpm --filter @scrapegrid/k8s bench:shards
import { KubeConfig } from '@kubernetes/client-node';
import type { LocalCluster } from '@scrapegrid/local-cluster';
import { computeClusterCost, peakAlivePods, startClusterRecorder } from '@scrapegrid/session-load';
import { kubeList } from '../test/cluster/kube-list.ts';
import { fitScrapeJob } from '../test/cluster/scrape-job-objects.ts';
import { waitForJobEnd } from '../test/cluster/wait-for-job-end.ts';
import { replaceInSpec } from '../test/keda/replace-in-spec.ts';
import {
  applyDemoDatabase,
  crawlTableCounts,
  deleteCrawlJob,
  runShardedCrawl,
} from '../test/keda/sharded-crawl.ts';
import {
  applySharedGridUnderKeda,
  NODE_SELECTOR,
  NS,
  startClusterWithKeda,
} from '../test/keda/shared-grid-under-keda.ts';
import { findObject } from '../test/policies/find-object.ts';
import { renderKustomization } from '../test/render-kustomization.ts';
import { K8S_DIR } from '../test/rendered-variants.ts';

const PAGES = Number(process.env.BENCH_PAGES ?? 200);
if (!Number.isInteger(PAGES) || PAGES < 4)
  throw new Error(`BENCH_PAGES ${PAGES}: a whole number of at least 4`);
const SITE_URL = 'http://demo-site:8080';
/** The shared shapes: each keeps shards x concurrency = 4 sessions at a time. */
const SHARED = [
  { key: 'a', name: 'a) shared Grid, 1 shard x 4 sessions', shards: 1, parallelism: 1, concurrency: 4 },
  { key: 'b', name: 'b) shared Grid, 2 shards x 2 sessions', shards: 2, parallelism: 2, concurrency: 2 },
  { key: 'c', name: 'c) shared Grid, 4 shards x 1 session', shards: 4, parallelism: 4, concurrency: 1 },
] as const;
/**
 * The shard pods' CPU request, lowered from the shipped 250m as applySharedGridUnderKeda lowers the
 * node's and hub's: 4 shard pods, 4 browser pods, the hub, KEDA, PostgreSQL and the site must be
 * scheduled at once on this 2-CPU node (the limit, 1 CPU, is the shipped one).
 */
const WORKER_CPU_REQUEST = '100m';

interface Row {
  name: string;
  wallMs: number;
  podSeconds: number;
  peakNodePods: number | undefined;
  rows: number;
}

console.log(
  `pages 1..${PAGES} of ${SITE_URL} (DEMO_SITE_PRODUCTS=${PAGES * 10}); every spec's delayPerHostMs set to 0 (shipped: 500)`,
);
console.log(
  `each shared shape keeps 4 sessions at a time (shards x concurrency); their shard pods request ${WORKER_CPU_REQUEST} CPU (shipped 250m)`,
);
const cluster = await startClusterWithKeda([
  'scrapegrid/worker:0.1.0',
  'scrapegrid/demo-site:0.1.0',
  'postgres:15-bookworm',
]);
console.log(
  'NetworkPolicy: not enforced on this cluster (startClusterWithKeda starts no kube-router); the flows are checked offline',
);
const results: Row[] = [];
/** A shape that failed is reported and the others still run: one run says as much as it can. */
const failures: string[] = [];
try {
  await applyDemoSite(cluster);
  try {
    const baseline = await runBaseline(cluster);
    results.push(baseline);
    printRow(baseline);
  } catch (error) {
    failures.push((error as Error).message);
    console.log(`d) FAILED: ${(error as Error).message}`);
    await deleteCrawlJob(cluster).catch(() => undefined);
  }

  const grid = await applySharedGridUnderKeda(cluster, 'grid-keda-push');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(cluster.kubeconfig);
  for (const shape of SHARED) {
    await grid.waitForEmptyPool(`${shape.key}: KEDA to hold the idle pool at 0 before the crawl`, 300_000);
    const table = `bench_shards_${shape.key}_${Date.now()}`;
    const recorder = await startClusterRecorder({
      kubeConfig,
      namespace: NS,
      selector: NODE_SELECTOR,
      deployment: 'selenium-node-chrome',
    });
    try {
      const crawl = await runShardedCrawl(cluster, {
        siteUrl: SITE_URL,
        pages: PAGES,
        concurrency: shape.concurrency,
        shards: shape.shards,
        parallelism: shape.parallelism,
        delayPerHostMs: 0,
        workerCpuRequest: WORKER_CPU_REQUEST,
        table,
      });
      const completeAt = Date.now();
      await grid.waitForEmptyPool(`${shape.key}: the pool back at 0 after the crawl`, 300_000);
      const backToZeroS = (Date.now() - completeAt) / 1000;
      const recording = await recorder.stop();
      const cost = computeClusterCost(recording.pods, [], { endAt: recording.endedAt });
      const peak = peakAlivePods(recording.pods);
      const completed = indexesIn(crawl.completedIndexes);
      if (
        completed.join() !== Array.from({ length: shape.shards }, (_, i) => i).join() ||
        crawl.failedIndexes !== ''
      )
        throw new Error(
          `${shape.name}: completed indexes "${crawl.completedIndexes}", failed "${crawl.failedIndexes}" (expected 0..${shape.shards - 1}, none)`,
        );
      assertExact(shape.name, { rows: crawl.totalRows, distinctIds: crawl.distinctIds });
      console.log(
        `${shape.name}: node pods 0 -> ${peak} -> 0 (back at 0 ${backToZeroS.toFixed(0)} s after Complete; ${cost.pods} pods in all; peak spec.replicas ${Math.max(0, ...recording.replicas.map((r) => r.spec))})`,
      );
      const row = {
        name: shape.name,
        wallMs: crawl.wallMs,
        podSeconds: cost.nodePodSeconds,
        peakNodePods: peak,
        rows: crawl.totalRows,
      };
      results.push(row);
      printRow(row);
    } catch (error) {
      failures.push((error as Error).message);
      console.log(`${shape.name} FAILED: ${(error as Error).message}`);
      await recorder.stop().catch(() => undefined);
    } finally {
      await deleteCrawlJob(cluster).catch(() => undefined);
    }
  }
} finally {
  await cluster.stop();
}

console.log('');
printTable([...results].sort((x, y) => x.name.localeCompare(y.name)));
if (failures.length > 0) {
  console.log(`\nFAILED (${failures.length}):\n${failures.join('\n')}`);
  process.exitCode = 1;
}

// --- internal ---

/** overlays/demo's demo-site Deployment and Service, its catalogue sized to the bench's pages. */
async function applyDemoSite(cluster: LocalCluster): Promise<void> {
  const demo = await renderKustomization(`${K8S_DIR}/overlays/demo`);
  const deployment = findObject(demo, 'Deployment', 'demo-site');
  const container = deployment.spec.template.spec.containers.find(
    (c: { name: string }) => c.name === 'demo-site',
  );
  container.env = [...(container.env ?? []), { name: 'DEMO_SITE_PRODUCTS', value: String(PAGES * 10) }];
  await cluster.kubectl(['apply', '--server-side', '-f', '-'], {
    input: kubeList([deployment, findObject(demo, 'Service', 'demo-site')]),
  });
  await cluster.kubectl(['-n', NS, 'rollout', 'status', 'deployment/demo-site', '--timeout=180s'], {
    timeoutMs: 190_000,
  });
}

/**
 * d) overlays/scrape-job as shipped (its own hub and Chrome, 2 sessions) with the sharded spec's
 * pages, fields and database, aimed at the pod's own hub, concurrency 2, no shards; `mode:
 * replace` into a fresh table.
 */
async function runBaseline(cluster: LocalCluster): Promise<Row> {
  const name = 'd) single-pod scrape Job (own Chrome, 2 sessions)';
  const table = `bench_shards_d_${Date.now()}`;
  const credentials = await applyDemoDatabase(cluster);
  const shared = await renderKustomization(`${K8S_DIR}/overlays/scrape-job-shared-grid`);
  const spec = baselineSpec(findObject(shared, 'ConfigMap', 'scrape-job-spec').data['job-spec.yaml'], table);
  const objects = fitScrapeJob(await renderKustomization(`${K8S_DIR}/overlays/scrape-job`), {
    jobSpec: spec,
  });
  findObject(objects, 'Secret', 'scrape-job-credentials').stringData = credentials.stringData;
  const t0 = performance.now();
  await cluster.kubectl(['apply', '--server-side', '-f', '-'], { input: kubeList(objects) });
  const ended = await waitForJobEnd(cluster, NS, 'scrape-job', 900_000);
  const wallMs = performance.now() - t0;
  if (ended !== 'Complete')
    throw new Error(
      `${name}: the Job ended ${ended}\n${await cluster.kubectl(['-n', NS, 'get', 'pods', '-o', 'wide'])}`,
    );
  const pods = JSON.parse(
    await cluster.kubectl(['-n', NS, 'get', 'pods', '-l', 'job-name=scrape-job', '-o', 'json']),
  ).items;
  // Its pod's life: created, to the last of its containers' ends.
  let podSeconds = 0;
  for (const pod of pods) {
    const ends = (pod.status.containerStatuses ?? []).map(
      (c: { state: { terminated?: { finishedAt: string } } }) =>
        Date.parse(c.state.terminated?.finishedAt ?? new Date().toISOString()),
    );
    podSeconds += (Math.max(...ends) - Date.parse(pod.metadata.creationTimestamp)) / 1000;
  }
  const counts = await crawlTableCounts(cluster, table);
  assertExact(name, counts);
  await deleteCrawlJob(cluster);
  return { name, wallMs, podSeconds, peakNodePods: undefined, rows: counts.rows };
}

/** The sharded spec for the single pod: its own hub, 2 sessions, no delay, the demo database. */
function baselineSpec(sharedSpec: string, table: string): string {
  const replacements: [RegExp, string][] = [
    [/https:\/\/shop\.example\.com/, SITE_URL],
    [/pages: \{ from: 1, to: 400 \}/, `pages: { from: 1, to: ${PAGES} }`],
    [/concurrency: 4/, 'concurrency: 2'],
    [/delayPerHostMs: 500/, 'delayPerHostMs: 0'],
    [/gridUrl: http:\/\/selenium-hub:4444/, 'gridUrl: http://127.0.0.1:4444'],
    // The pod's own node is there from the start: wait for it, as scrape-job ships.
    [/ {2}waitFor: hub\n/, ''],
    [/ {2}readyTimeoutMs: 300000\n/, ''],
    [/host: postgres\.example\.internal/, 'host: demo-postgres'],
    [/database: warehouse/, 'database: demo'],
    [/table: products/, `table: ${table}\n    mode: replace`],
  ];
  return replaceInSpec(sharedSpec, replacements, 'the bench');
}

/** A Job's completedIndexes as the API writes it ("0", "0,1", "0-3", "0,2-4"), as a sorted list. */
function indexesIn(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').filter(Boolean)) {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    for (let i = from; i <= to; i++) out.push(i);
  }
  return out.sort((a, b) => a - b);
}

function assertExact(name: string, counts: { rows: number; distinctIds: number }): void {
  const want = PAGES * 10;
  if (counts.rows !== want || counts.distinctIds !== want)
    throw new Error(
      `${name}: ${counts.rows} rows, ${counts.distinctIds} distinct ids in PostgreSQL; expected exactly ${want} of each`,
    );
}

function printRow(row: Row): void {
  console.log(
    `${row.name}: ${(row.wallMs / 1000).toFixed(1)} s apply -> Complete, ${perMinute(row).toFixed(1)} pages/min, ${row.podSeconds.toFixed(0)} pod-s, ${row.rows} rows exact`,
  );
}

function perMinute(row: Row): number {
  return PAGES / (row.wallMs / 60_000);
}

function printTable(rows: Row[]): void {
  const base = rows.find((r) => r.name.startsWith('d)'));
  const header = ['config', 'pages', 'wall s', 'pages/min', 'node-pod-s', 'peak node pods', 'rows', 'vs d'];
  const body = rows.map((r) => [
    r.name,
    String(PAGES),
    (r.wallMs / 1000).toFixed(1),
    perMinute(r).toFixed(1),
    r.peakNodePods === undefined ? `${r.podSeconds.toFixed(0)} (Job pod)` : r.podSeconds.toFixed(0),
    r.peakNodePods === undefined ? '- (own Chrome)' : String(r.peakNodePods),
    String(r.rows),
    base ? `${(perMinute(r) / perMinute(base)).toFixed(2)}x` : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}
