/**
 * grid-exporter benchmark (`pnpm --filter @scrapegrid/grid-exporter bench`): a synthetic Grid of
 * 500 nodes × 4 slots and 5,000 queued requests over 3 pools.
 * 1. Time to compute all pools from the GraphQL body (parse + count), median, against KEDA's
 *    per-request loop re-implemented in keda-baseline.ts (one count per pool, as three triggers do).
 * 2. /metrics latency from the cached snapshot under 50 concurrent scrapes (p50/p99), in-process
 *    HTTP server and client on loopback.
 * 3. Peak memory (max RSS) after 1 and 2, before the baseline runs.
 */

import { pino } from 'pino';
import { Agent, request } from 'undici';
import { computeGridDemand } from '../src/compute-grid-demand.ts';
import { makeExporterMetrics } from '../src/exporter-metrics.ts';
import { GridPoller } from '../src/grid-poller.ts';
import type { GridSource } from '../src/grid-source.ts';
import { startExporterServer } from '../src/http-server.ts';
import { parseGridState } from '../src/parse-grid-state.ts';
import { kedaCount } from './keda-baseline.ts';
import { BROWSERS, POOLS, syntheticGridData } from './synthetic-grid.ts';

const data = syntheticGridData();
const body = JSON.stringify({ data });

// 1. Ours: parse once, count every pool.
const ours = _timeRuns(15, () =>
  computeGridDemand(parseGridState((JSON.parse(body) as { data: unknown }).data), POOLS),
);
const demand = ours.result;

// 2. /metrics under 50 concurrent scrapes.
const client: GridSource = { fetch: async () => ({ data, queueRequestIds: [] }), close: async () => {} };
const logger = pino({ level: 'silent' });
const poller = new GridPoller({ client, pools: POOLS, intervalSeconds: 3600, logger });
const metrics = makeExporterMetrics(poller, 'bench');
await poller.pollOnce();
// The first scrape after a poll renders the text; every later one reuses it.
const renders: number[] = [];
for (let i = 0; i < 10; i++) {
  await poller.pollOnce();
  const started = performance.now();
  await metrics.render();
  renders.push(performance.now() - started);
}
renders.sort((a, b) => a - b);
const server = await startExporterServer({
  host: '127.0.0.1',
  port: 0,
  poller,
  metrics,
  poolNames: POOLS.map((p) => p.name),
  logger,
});
const agent = new Agent({ connections: 50 });
const latencies: number[] = [];
const url = `http://127.0.0.1:${server.port}/metrics`;
const scrape = async () => {
  const started = performance.now();
  const response = await request(url, { dispatcher: agent });
  await response.body.text();
  latencies.push(performance.now() - started);
};
for (let i = 0; i < 100; i++) await scrape(); // warm-up
latencies.length = 0;
const wall = performance.now();
await Promise.all(
  Array.from({ length: 50 }, async () => {
    for (let i = 0; i < 100; i++) await scrape();
  }),
);
const wallSeconds = (performance.now() - wall) / 1000;
await server.close();
await agent.close();
const maxRssMiB = process.resourceUsage().maxRSS / 1024;

// The baseline, last, so its allocations do not count in our peak memory.
const keda = _timeRuns(3, () =>
  BROWSERS.map((b) =>
    kedaCount(body, {
      browserName: b.browserName,
      sessionBrowserName: b.sessionBrowserName,
      browserVersion: '',
      platformName: 'linux',
      nodeMaxSessions: 4,
      enableManagedDownloads: true,
      capabilities: {},
    }),
  ),
);

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
console.log('grid-exporter bench: 500 nodes × 4 slots, 5,000 queued requests, 3 pools');
console.log(
  `  compute all pools (parse + count), median of ${ours.runs}: ${ours.medianMs.toFixed(1)} ms wall, ${ours.medianCpuMs.toFixed(1)} ms CPU`,
);
console.log(
  `  KEDA per-request loop, 3 triggers, median of ${keda.runs}: ${keda.medianMs.toFixed(1)} ms wall, ${keda.medianCpuMs.toFixed(1)} ms CPU`,
);
console.log(
  `  ratio KEDA / ours: ${(keda.medianMs / ours.medianMs).toFixed(1)}× wall, ${(keda.medianCpuMs / ours.medianCpuMs).toFixed(1)}× CPU`,
);
console.log(
  `  /metrics from the cached snapshot, 50 concurrent scrapers × 100: p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms, ${(latencies.length / wallSeconds).toFixed(0)} scrapes/s`,
);
console.log(`  first /metrics render after a poll (uncached), median of 10: ${renders[5]!.toFixed(2)} ms`);
console.log(`  peak memory (max RSS) after compute + scrapes: ${maxRssMiB.toFixed(0)} MiB`);
console.log('  desired nodes (ours):', Object.fromEntries(demand.pools.map((p) => [p.pool, p.desiredNodes])));
console.log(
  '  KEDA metric (new + ongoing):',
  Object.fromEntries(BROWSERS.map((b, i) => [b.pool, keda.result[i]!.newNodes + keda.result[i]!.ongoing])),
);

// --- internal ---

// Wall time and CPU time (user + system) per run: on a shared machine the CPU time is the steadier
// of the two, since waiting for a core does not count in it.
function _timeRuns<T>(
  runs: number,
  fn: () => T,
): { runs: number; medianMs: number; medianCpuMs: number; result: T } {
  let result = fn(); // warm-up
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    result = fn();
    const used = process.cpuUsage(cpuStarted);
    times.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  return { runs, medianMs: median(times), medianCpuMs: median(cpu), result };
}
