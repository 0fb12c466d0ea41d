/**
 * Push latency bench (`pnpm --filter @scrapegrid/grid-exporter bench:push`; starts a real Grid, so
 * run it under the machine's heavy lock): how long after a new-session request is queued for an
 * empty pool does KEDA learn the pool is needed?
 * - push: StreamIsActive of an exporter as shipped (queue watcher every 0.25 s, poll 5 s);
 * - push, poll only: StreamIsActive of an exporter without the watcher (its 5 s poll alone);
 * - baseline: KEDA's metrics-api trigger at pollingInterval 10 s reading that exporter's
 *   /pools/chrome (a loop at 10 s with a random phase, as KEDA's tick is to a request).
 * Each round queues one request (browserName chrome, no platformName) on a hub without nodes, all
 * three observe it, then the queue is cleared. Then the watcher's cost: CPU of the hub and of each
 * exporter over an idle window, without and with the watcher running.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, type Grid, startGrid, waitUntil } from '@scrapegrid/test-support';
import {
  type ExporterProcess,
  startExporterProcess,
  writePoolsFile,
} from '../src/exporter-process.test-helper.ts';
import { externalScalerClient } from '../src/external-scaler-client.test-helper.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const KEDA_POLLING_MS = 10_000;
const IDLE_WINDOW_MS = 20_000;
const POOLS = `- name: chrome
  browserName: chrome
  platformName: Linux
`;

const grid = await startGrid({ nodes: 0, registrationSecret: 'bench' });
const started: ExporterProcess[] = [];
try {
  const pools = await writePoolsFile(POOLS);
  const pollOnly = await _exporter(grid, pools, ['--queue-watch-interval', '0']);
  started.push(pollOnly.exporter);

  // The watcher's cost first, while only the poll-only exporter runs, then with the shipped one.
  const idle = await _cpu(grid, [pollOnly.exporter]);
  const shipped = await _exporter(grid, pools, []);
  started.push(shipped.exporter);
  const watching = await _cpu(grid, [pollOnly.exporter, shipped.exporter]);

  const push = externalScalerClient(shipped.address).streamIsActive('chrome');
  const slow = externalScalerClient(pollOnly.address).streamIsActive('chrome');
  await push.next(1, 30_000);
  await slow.next(1, 30_000);
  const times: Record<'push' | 'pollOnly' | 'metricsApi', number[]> = {
    push: [],
    pollOnly: [],
    metricsApi: [],
  };
  for (let round = 0; round < ROUNDS; round++) {
    const [p, s] = [push.messages.length, slow.messages.length];
    const phase = Math.random() * KEDA_POLLING_MS;
    const queuedAt = performance.now();
    const session = _newSession(grid.hubUrl);
    const metricsApi = _kedaTick(pollOnly.exporter, queuedAt, phase);
    const [pushed] = (await push.next(p + 1, 15_000)).slice(p);
    const [polled] = (await slow.next(s + 1, 15_000)).slice(s);
    times.push.push(pushed!.at - queuedAt);
    times.pollOnly.push(polled!.at - queuedAt);
    times.metricsApi.push((await metricsApi) - queuedAt);
    await _clearQueue(grid);
    await session;
    await push.next(p + 2, 15_000);
    await slow.next(s + 2, 15_000);
  }

  const row = (name: string, ms: number[]) => {
    const s = [...ms].sort((a, b) => a - b);
    const median = s[Math.floor(s.length / 2)]!;
    return `${name.padEnd(52)} median ${median.toFixed(0).padStart(6)} ms   min ${s[0]!.toFixed(0).padStart(6)}   max ${s.at(-1)!.toFixed(0).padStart(6)}   (${ms.map((m) => m.toFixed(0)).join(', ')})`;
  };
  const baseline = [...times.metricsApi].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  const ours = [...times.push].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  console.log(`queued request → KEDA knows the pool is needed, ${ROUNDS} rounds, hub without nodes:`);
  console.log(row('StreamIsActive push (watcher 0.25 s + poll 5 s)', times.push));
  console.log(row('StreamIsActive push, poll 5 s only', times.pollOnly));
  console.log(row('baseline: metrics-api at pollingInterval 10 s', times.metricsApi));
  console.log(
    `push / baseline median: ${(ours / baseline).toFixed(3)} (${(baseline / ours).toFixed(0)}× sooner)`,
  );
  console.log(
    `CPU over ${IDLE_WINDOW_MS / 1000} s idle (every pool at 0): hub ${idle.hub.toFixed(2)} s without the watcher, ${watching.hub.toFixed(2)} s with it; ` +
      `exporter ${idle.exporters[0]!.toFixed(2)} s poll only, ${watching.exporters[1]!.toFixed(2)} s with the watcher`,
  );
} finally {
  for (const exporter of started) await exporter.stop();
  await grid.stop();
}

// --- internal ---

async function _exporter(grid: Grid, pools: string, extra: string[]) {
  const grpcPort = await freePort();
  const exporter = await startExporterProcess(grid.hubUrl, pools, [
    '--grpc-port',
    String(grpcPort),
    '--poll-interval',
    '5',
    ...extra,
  ]);
  return { exporter, address: `127.0.0.1:${grpcPort}` };
}

/** KEDA's metrics-api tick: GET /pools/chrome every 10 s from `phase`; when it first shows demand. */
async function _kedaTick(exporter: ExporterProcess, queuedAt: number, phase: number): Promise<number> {
  await sleep(phase);
  for (;;) {
    const { body } = await exporter.pool('chrome');
    if ((body.desiredNodes as number) > 0) return performance.now();
    await sleep(KEDA_POLLING_MS - ((performance.now() - queuedAt - phase) % KEDA_POLLING_MS));
  }
}

async function _cpu(grid: Grid, exporters: ExporterProcess[]) {
  const read = () => ({
    hub: _cpuSeconds(grid.hub.pid),
    exporters: exporters.map((e) => _cpuSeconds(e.process.pid)),
  });
  const before = read();
  await sleep(IDLE_WINDOW_MS);
  const after = read();
  return { hub: after.hub - before.hub, exporters: after.exporters.map((v, i) => v - before.exporters[i]!) };
}

/** utime + stime of a process, in seconds (Linux, 100 ticks a second). */
function _cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function _newSession(hubUrl: string): Promise<unknown> {
  try {
    const response = await fetch(`${hubUrl}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ capabilities: { alwaysMatch: { browserName: 'chrome' } } }),
      signal: AbortSignal.timeout(120_000),
    });
    return await response.arrayBuffer();
  } catch (error) {
    return error;
  }
}

async function _clearQueue(grid: Grid): Promise<void> {
  await waitUntil(
    async () =>
      (
        await fetch(`${grid.hubUrl}/se/grid/newsessionqueue/queue`, {
          method: 'DELETE',
          headers: { 'X-REGISTRATION-SECRET': grid.registrationSecret },
          signal: AbortSignal.timeout(10_000),
        })
      ).ok,
    { what: 'the queue to be cleared', timeoutMs: 10_000 },
  );
}
