// Benchmark: how fast real KEDA reacts to the Grid's queue, for both overlays' triggers, at KEDA's
// default polling interval (30 s) and at the one the overlays ship (10 s).
//   up:   a request enters the hub's queue -> the scaled Deployment's spec.replicas changes (0 -> 1)
//   down: the queue empties                -> spec.replicas starts going down (1 -> 0)
// Median of KEDA_BENCH_RUNS (default 5). All four ScaledObjects watch the same hub at once; each
// scales its own Deployment of the pod sandbox image (so no browser pod ever takes the request
// and the queue stays as the benchmark sets it). cooldownPeriod is 0 here: "down" is the time KEDA
// needs to notice; the overlays' cooldownPeriod (300 s) comes on top of it, by configuration.
// The metrics-api trigger reads grid-exporter, which polls the hub every 5 s as the overlay ships.
//
//   pnpm --filter @scrapegrid/k8s bench        (needs the local cluster and KEDA builds)
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { clusterLayout } from '@scrapegrid/local-cluster';
import { waitUntil } from '@scrapegrid/test-support';
import { startKedaScene } from '../test/keda/keda-scene.ts';
import { probeObjects } from '../test/keda/probe-objects.ts';
import { queueSessionRequests } from '../test/keda/session-requests.ts';

const RUNS = Number(process.env.KEDA_BENCH_RUNS ?? 5);
const NS = 'keda-bench';
const KEDA_DEFAULT_POLLING = 30;

interface Config {
  name: string;
  trigger: string;
  variant: string;
  pollingInterval: number;
}

const scene = await startKedaScene({ exporterPollSeconds: 5, log: (l) => console.log(`  ${l}`) });
try {
  const overlayPolling = Number(scene.scaledObject('grid-keda', 'selenium-node-chrome').spec.pollingInterval);
  const configs: Config[] = [];
  for (const [trigger, variant] of [
    ['selenium-grid (grid-keda)', 'grid-keda'],
    ['metrics-api (grid-keda-exporter)', 'grid-keda-exporter'],
  ] as const) {
    for (const pollingInterval of [KEDA_DEFAULT_POLLING, overlayPolling]) {
      configs.push({ name: `${variant}-${pollingInterval}`, trigger, variant, pollingInterval });
    }
  }
  const url = (c: Config) =>
    c.variant === 'grid-keda' ? `${scene.grid.hubUrl}/graphql` : `${scene.exporterUrl}/pools/chrome`;
  await scene.apply([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    ...configs.flatMap((c) =>
      probeObjects(scene.scaledObject(c.variant, 'selenium-node-chrome'), {
        namespace: NS,
        name: c.name,
        url: url(c),
        image: clusterLayout.pauseImage,
        maxReplicaCount: 1,
        pollingInterval: c.pollingInterval,
        cooldownPeriod: 0,
      }),
    ),
  ]);
  await scene.cluster.kubectl(
    ['-n', NS, 'wait', '--for=condition=Ready', 'scaledobject', '--all', '--timeout=120s'],
    { timeoutMs: 130_000 },
  );

  // spec.replicas of every Deployment as the API server's watch reports it, with the time seen.
  const replicas = new Map<string, { value: number; at: number }>();
  const kc = new KubeConfig();
  kc.loadFromFile(scene.cluster.kubeconfig);
  const watch = await new Watch(kc).watch(
    `/apis/apps/v1/namespaces/${NS}/deployments`,
    {},
    (_type, d: { metadata: { name: string }; spec: { replicas: number } }) => {
      const before = replicas.get(d.metadata.name);
      if (before?.value !== d.spec.replicas)
        replicas.set(d.metadata.name, { value: d.spec.replicas, at: Date.now() });
    },
    () => {},
  );
  const all = (value: number) => configs.every((c) => replicas.get(c.name)?.value === value);
  await waitUntil(() => all(0), { what: 'every Deployment at 0 replicas', timeoutMs: 60_000 });

  const up: Record<string, number[]> = Object.fromEntries(configs.map((c) => [c.name, []]));
  const down: Record<string, number[]> = Object.fromEntries(configs.map((c) => [c.name, []]));
  for (let run = 1; run <= RUNS; run++) {
    // Each wait above ends on a tick of the slowest poll loop: a random offset over the longest
    // interval makes the request's arrival uniform over every loop's phase (10 s would bias the
    // 30 s loops towards their worst case).
    await sleep(Math.random() * KEDA_DEFAULT_POLLING * 1000);
    const queuedAt = Date.now();
    const requests = queueSessionRequests(scene.grid.hubUrl, scene.registrationSecret, chrome(), 1);
    await waitUntil(() => all(1), {
      what: 'every Deployment scaled to 1',
      timeoutMs: 180_000,
      intervalMs: 50,
    });
    // The watch stamped when each Deployment changed; nothing changes them again until the clear.
    for (const c of configs) up[c.name]?.push((replicas.get(c.name)?.at ?? Number.NaN) - queuedAt);
    await sleep(Math.random() * KEDA_DEFAULT_POLLING * 1000);
    await requests.clear();
    const emptiedAt = Date.now();
    await waitUntil(() => all(0), { what: 'every Deployment back at 0', timeoutMs: 180_000, intervalMs: 50 });
    for (const c of configs) down[c.name]?.push((replicas.get(c.name)?.at ?? Number.NaN) - emptiedAt);
    console.log(
      `run ${run}/${RUNS}: ${configs.map((c) => `${c.name} up ${secs(up[c.name]?.at(-1))} down ${secs(down[c.name]?.at(-1))}`).join(', ')}`,
    );
  }
  watch.abort();

  console.log('');
  console.log(`KEDA ${scene.keda.build.version}, median of ${RUNS} (min-max), seconds:`);
  console.log(
    `  ${'trigger'.padEnd(34)} ${'pollingInterval'.padEnd(20)} ${'queued -> replicas up'.padEnd(26)} queue empty -> scale-down starts`,
  );
  for (const c of configs) {
    const label =
      c.pollingInterval === KEDA_DEFAULT_POLLING
        ? `${c.pollingInterval} s (KEDA default)`
        : `${c.pollingInterval} s (overlays)`;
    console.log(
      `  ${c.trigger.padEnd(34)} ${label.padEnd(20)} ${summary(up[c.name] ?? []).padEnd(26)} ${summary(down[c.name] ?? [])}`,
    );
  }
  // KEDA's own trigger is the baseline: ours through grid-exporter as a ratio of it, per interval.
  for (const pollingInterval of new Set(configs.map((c) => c.pollingInterval))) {
    const ratio = (of: Record<string, number[]>) =>
      (
        median(of[`grid-keda-exporter-${pollingInterval}`] ?? []) /
        median(of[`grid-keda-${pollingInterval}`] ?? [])
      ).toFixed(2);
    console.log(
      `  metrics-api / selenium-grid (baseline) at ${pollingInterval} s: up ${ratio(up)}x, down ${ratio(down)}x`,
    );
  }
  console.log(
    "  (scale-down with cooldownPeriod 0: the overlays' cooldownPeriod of 300 s adds to it; grid-exporter polls every 5 s)",
  );
} finally {
  await scene.stop();
}

// --- internal ---

function chrome() {
  return { browserName: 'chrome', platformName: 'linux' };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function secs(ms: number | undefined): string {
  return ms === undefined || Number.isNaN(ms) ? '?' : (ms / 1000).toFixed(1);
}

function summary(values: number[]): string {
  return `${secs(median(values))} (${secs(Math.min(...values))}-${secs(Math.max(...values))})`;
}
