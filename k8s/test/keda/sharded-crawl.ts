import { type LocalCluster, prepareLocalVolumes } from '@scrapegrid/local-cluster';
import { waitUntil } from '@scrapegrid/test-support';
import { kubeList } from '../cluster/kube-list.ts';
import { waitForJobEnd } from '../cluster/wait-for-job-end.ts';
import { withRealSecrets } from '../cluster/with-real-secrets.ts';
import type { K8sObject } from '../k8s-object.ts';
import { setEnvValue } from '../pod-templates.ts';
import { findObject } from '../policies/find-object.ts';
import { renderKustomization } from '../render-kustomization.ts';
import { K8S_DIR } from '../rendered-variants.ts';
import { replaceInSpec } from './replace-in-spec.ts';
import { NS } from './shared-grid-under-keda.ts';

/** What a sharded crawl left: the Job's status, each shard's last pod, the rows in PostgreSQL. */
export interface ShardedCrawl {
  completedIndexes: string;
  failedIndexes: string;
  /** The pod deleted mid-run (index `killIndex`); undefined when none was. */
  killedPod: string | undefined;
  /** From the Job's apply to its Complete, as polled (every 2 s). */
  wallMs: number;
  /** Per completion index, the pod that completed it and its termination message (the crawl summary). */
  completedBy: Map<number, { pod: string; summary: Record<string, unknown> }>;
  /** `select scrape_shard, count(*), count(distinct id)` of the crawl's table. */
  rowsPerShard: Map<number, { rows: number; distinctIds: number }>;
  totalRows: number;
  distinctIds: number;
}

export interface ShardedCrawlOptions {
  /** The fixture site as the pods reach it (the cluster's bridge). */
  siteUrl: string;
  /** Listing pages 1..pages are the start URLs the shards split. */
  pages: number;
  /** Sessions per shard (the overlay ships 4; two shards at once on a 2-core node is what fits). */
  concurrency: number;
  /** The Job's `completions` and WORKER_SHARDS; the overlay's 4 when not given. */
  shards?: number;
  /** The Job's `parallelism`; the overlay's 2 when not given. */
  parallelism?: number;
  /** The spec's `limits.delayPerHostMs`; the overlay's 500 when not given. */
  delayPerHostMs?: number;
  /** The worker container's CPU request; the shipped 250m when not given. */
  workerCpuRequest?: string;
  /** The table the shards load (a fresh one per run: the demo database's volume outlives clusters). */
  table: string;
  /** The completion index whose first pod is deleted as soon as it runs; none when not given. */
  killIndex?: number;
}

/**
 * overlays/scrape-job-shared-grid as rendered (the shipped Indexed Job: 4 shards, 2 at a time, one
 * retry per index; shard count, parallelism, delay and worker CPU request changed only where the
 * options say), its spec pointed at the fixture site and at the demo's in-cluster PostgreSQL
 * (overlays/demo's StatefulSet, Service and local volume, with the demo's credentials), on the
 * shared Grid already applied in the namespace. With `killIndex`, that index's first pod is deleted
 * while it runs; the Job's per-index retry must redo that shard. Waits for the Job to end, then
 * reads it. The Job is left in place: delete it before the next run (its template is immutable).
 */
export async function runShardedCrawl(cluster: LocalCluster, o: ShardedCrawlOptions): Promise<ShardedCrawl> {
  const objects = withRealSecrets(await renderKustomization(`${K8S_DIR}/overlays/scrape-job-shared-grid`));
  const spec = findObject(objects, 'ConfigMap', 'scrape-job-spec');
  spec.data['job-spec.yaml'] = pointedAt(spec.data['job-spec.yaml'], o);
  shapedAs(findObject(objects, 'Job', 'scrape-job'), o);

  findObject(objects, 'Secret', 'scrape-job-credentials').stringData = (
    await applyDemoDatabase(cluster)
  ).stringData;
  const t0 = performance.now();
  await cluster.kubectl(['apply', '--server-side', '-f', '-'], { input: kubeList(objects) });
  const killIndex = o.killIndex;
  let killedPod: string | undefined;
  if (killIndex !== undefined) {
    const running = await waitUntil(
      async () =>
        (await jobPods(cluster)).find((p) => indexOf(p) === killIndex && p.status.phase === 'Running')
          ?.metadata.name,
      { what: `shard ${killIndex}'s first pod to run`, timeoutMs: 300_000, intervalMs: 1_000 },
    );
    await cluster.kubectl(['-n', NS, 'delete', 'pod', running, '--wait=false']);
    killedPod = running;
  }

  const ended = await waitForJobEnd(cluster, NS, 'scrape-job', 900_000);
  const wallMs = performance.now() - t0;
  const job = JSON.parse(await cluster.kubectl(['-n', NS, 'get', 'job', 'scrape-job', '-o', 'json']));
  if (ended !== 'Complete')
    throw new Error(
      `the sharded Job ended ${ended}: ${JSON.stringify(job.status)}\n${await cluster.kubectl(['-n', NS, 'get', 'pods', '-o', 'wide'])}`,
    );

  const completedBy = new Map<number, { pod: string; summary: Record<string, unknown> }>();
  for (const pod of await jobPods(cluster)) {
    const terminated = pod.status.containerStatuses?.find((c: { name: string }) => c.name === 'worker')?.state
      ?.terminated;
    if (pod.status.phase === 'Succeeded' && terminated)
      completedBy.set(indexOf(pod), { pod: pod.metadata.name, summary: JSON.parse(terminated.message) });
  }
  const rowsPerShard = new Map<number, { rows: number; distinctIds: number }>();
  for (const line of (
    await psql(
      cluster,
      `select scrape_shard, count(*), count(distinct id) from ${o.table} group by 1 order by 1`,
    )
  ).split('\n'))
    if (line) {
      const [shard, rows, distinctIds] = line.split('|').map(Number) as [number, number, number];
      rowsPerShard.set(shard, { rows, distinctIds });
    }
  const { rows: totalRows, distinctIds } = await crawlTableCounts(cluster, o.table);
  return {
    completedIndexes: job.status.completedIndexes ?? '',
    failedIndexes: job.status.failedIndexes ?? '',
    killedPod,
    wallMs,
    completedBy,
    rowsPerShard,
    totalRows,
    distinctIds,
  };
}

/**
 * overlays/demo's PostgreSQL (StatefulSet, Service, local volume) with the demo's credentials,
 * applied and answering; returns the demo's Secret scrape-job-credentials (its user and password),
 * which a Job loading into it must carry. Applying it again is a no-op.
 */
export async function applyDemoDatabase(cluster: LocalCluster): Promise<K8sObject> {
  const demo = await renderKustomization(`${K8S_DIR}/overlays/demo`);
  const database = demo.filter(
    (obj) =>
      obj.metadata.name === 'demo-postgres' || obj.kind === 'StorageClass' || obj.kind === 'PersistentVolume',
  );
  const demoCredentials = findObject(demo, 'Secret', 'scrape-job-credentials');
  await prepareLocalVolumes();
  // The database reads its user and password from the Job's Secret: it goes first, with them.
  await cluster.kubectl(['apply', '--server-side', '-f', '-'], {
    input: kubeList([...database, demoCredentials]),
  });
  await cluster.kubectl(['-n', NS, 'rollout', 'status', 'statefulset/demo-postgres', '--timeout=180s'], {
    timeoutMs: 190_000,
  });
  await waitUntil(async () => (await psql(cluster, 'select 1')) === '1' || undefined, {
    what: 'the demo PostgreSQL to answer',
    timeoutMs: 120_000,
    intervalMs: 2_000,
  });

  return demoCredentials;
}

/** `select count(*), count(distinct id)` of a crawl's table in the demo PostgreSQL. */
export async function crawlTableCounts(
  cluster: LocalCluster,
  table: string,
): Promise<{ rows: number; distinctIds: number }> {
  const [rows, distinctIds] = (await psql(cluster, `select count(*), count(distinct id) from ${table}`))
    .split('|')
    .map(Number) as [number, number];
  return { rows, distinctIds };
}

/** Deletes the crawl's Job and its pods, and waits for them: a next crawl needs a new Job (its template is immutable). */
export async function deleteCrawlJob(cluster: LocalCluster): Promise<void> {
  await cluster.kubectl(
    [
      '-n',
      NS,
      'delete',
      'job',
      'scrape-job',
      '--cascade=foreground',
      '--wait=true',
      '--timeout=180s',
      // A crawl whose apply failed left no Job: cleaning up after it must not hide that failure.
      '--ignore-not-found',
    ],
    { timeoutMs: 190_000 },
  );
}

/** Drops the crawl's table: the demo database's volume is kept across clusters. */
export async function dropCrawlTable(cluster: LocalCluster, table: string): Promise<void> {
  await psql(cluster, `drop table if exists ${table}`);
}

// --- internal ---

// biome-ignore lint/suspicious/noExplicitAny: pod JSON from kubectl, read field by field.
type Pod = any;

async function jobPods(cluster: LocalCluster): Promise<Pod[]> {
  return JSON.parse(
    await cluster.kubectl(['-n', NS, 'get', 'pods', '-l', 'job-name=scrape-job', '-o', 'json']),
  ).items;
}

function indexOf(pod: Pod): number {
  return Number(pod.metadata.annotations['batch.kubernetes.io/job-completion-index']);
}

function psql(cluster: LocalCluster, sql: string): Promise<string> {
  return cluster
    .kubectl(
      ['-n', NS, 'exec', 'demo-postgres-0', '--', 'psql', '-U', 'demo', '-d', 'demo', '-At', '-c', sql],
      {
        timeoutMs: 60_000,
      },
    )
    .then((out) => out.trim());
}

/** The overlay's spec with its placeholders (site, database, table, size) replaced; fails on a miss. */
function pointedAt(spec: string, o: ShardedCrawlOptions): string {
  const replacements: [RegExp, string][] = [
    [/https:\/\/shop\.example\.com/, o.siteUrl],
    [/pages: \{ from: 1, to: 400 \}/, `pages: { from: 1, to: ${o.pages} }`],
    [/concurrency: 4/, `concurrency: ${o.concurrency}`],
    ...(o.delayPerHostMs === undefined
      ? []
      : ([[/delayPerHostMs: 500/, `delayPerHostMs: ${o.delayPerHostMs}`]] as [RegExp, string][])),
    [/host: postgres\.example\.internal/, 'host: demo-postgres'],
    [/database: warehouse/, 'database: demo'],
    [/table: products/, `table: ${o.table}`],
  ];
  return replaceInSpec(spec, replacements, 'the test');
}

/** The Job's shard count (completions and WORKER_SHARDS together), parallelism and worker CPU request, when given. */
function shapedAs(job: K8sObject, o: ShardedCrawlOptions): void {
  const worker = job.spec.template.spec.containers.find((c: { name: string }) => c.name === 'worker');
  if (o.shards !== undefined) {
    job.spec.completions = o.shards;
    setEnvValue(worker, 'WORKER_SHARDS', String(o.shards), 'the sharded Job');
  }
  if (o.parallelism !== undefined) job.spec.parallelism = o.parallelism;
  if (o.workerCpuRequest !== undefined) worker.resources.requests.cpu = o.workerCpuRequest;
}
