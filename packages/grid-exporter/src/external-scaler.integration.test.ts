import { status } from '@grpc/grpc-js';
import { freePort, type Grid, startGrid, waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ExporterProcess,
  sample,
  startExporterProcess,
  writePoolsFile,
} from './exporter-process.test-helper.ts';
import { type ExternalScalerClient, externalScalerClient } from './external-scaler-client.test-helper.ts';

/**
 * KEDA's external-push contract end to end: a real hub with no browser node (every pool at 0), the
 * real exporter program with its default 5 s poll, and a real @grpc/grpc-js client loaded from the
 * shipped .proto. The requests are what Selenium's Python and Java clients send by default:
 * `browserName: chrome` and no platformName (issue 18), against a pool on Linux.
 */
const POOLS = `- name: chrome
  browserName: chrome
  platformName: Linux
- name: firefox
  browserName: firefox
  platformName: Linux
`;
const REQUEST = { capabilities: { alwaysMatch: { browserName: 'chrome' } } };
const ROUNDS = 5;
/** A push must come well inside the 5 s poll interval: the queue watcher, not the poll, found it. */
const PUSH_DEADLINE_MS = 2_000;

describe('external-push scaler against a real Grid', () => {
  const scaler = scalerOnAnEmptyGrid(['--poll-interval', '5']);

  test('StreamIsActive: false, then true within the deadline of each queued request; GetMetrics 1, then 3; a clean end on shutdown', async () => {
    const chrome = scaler.client.streamIsActive('chrome');
    const firefox = scaler.client.streamIsActive('firefox');
    expect((await chrome.next(1, 30_000)).map((m) => m.result)).toEqual([false]);
    expect(await scaler.client.getMetrics('chrome')).toEqual([
      { metricName: 'selenium-grid-chrome-desired-nodes', metricValue: 0, metricValueFloat: 0 },
    ]);

    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = chrome.messages.length;
      const queuedAt = performance.now();
      scaler.pending.push(_newSession(scaler.grid.hubUrl));
      const [push] = (await chrome.next(before + 1, PUSH_DEADLINE_MS)).slice(before);
      expect(push!.result).toBe(true);
      latencies.push(push!.at - queuedAt);
      expect(await scaler.client.getMetrics('chrome')).toEqual([
        { metricName: 'selenium-grid-chrome-desired-nodes', metricValue: 1, metricValueFloat: 1 },
      ]);
      expect(await scaler.client.isActive('chrome')).toBe(true);
      // Demand gone: `false` comes with the next regular poll (the watcher only hurries demand).
      await _clearQueue(scaler.grid);
      const [gone] = (await chrome.next(before + 2, 15_000)).slice(before + 1);
      expect(gone!.result).toBe(false);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `queued → StreamIsActive true, ${ROUNDS} rounds (ms): ${latencies.map((l) => l.toFixed(0)).join(', ')}; median ${sorted[Math.floor(ROUNDS / 2)]!.toFixed(0)}`,
    );

    for (let i = 0; i < 3; i++) scaler.pending.push(_newSession(scaler.grid.hubUrl));
    const metric = await waitUntil(
      async () => {
        const [value] = await scaler.client.getMetrics('chrome');
        return value?.metricValue === 3 ? value : undefined;
      },
      { what: 'GetMetrics to give 3', timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(metric).toEqual({
      metricName: 'selenium-grid-chrome-desired-nodes',
      metricValue: 3,
      metricValueFloat: 3,
    });
    // The same number as the metrics-api endpoint, and nothing counted as unmatched.
    expect((await scaler.exporter.pool('chrome')).body).toMatchObject({ desiredNodes: 3, queuedRequests: 3 });
    expect(sample(await scaler.exporter.metrics(), 'selenium_grid_queue_unmatched_requests')).toBe(0);
    expect(chrome.messages.at(-1)!.result).toBe(true);
    expect(firefox.messages.map((m) => m.result)).toEqual([false]);

    await scaler.exporter.stop();
    expect(await scaler.exporter.process.exited).toEqual({ code: 0, signal: null });
    expect(await chrome.ended).toEqual({ code: status.OK, details: 'OK' });
    expect(await firefox.ended).toEqual({ code: status.OK, details: 'OK' });
  });
});

/**
 * KEDA takes a pool to 0 on IsActive `false` once its cooldown has run out, so that answer must be
 * the Grid's state now, not the last poll's: a session may have begun on the last idle node since
 * (the soak's flap). With a 60 s poll and the queue watcher off, the snapshot stays stale; a request
 * queued after it must still make IsActive say true, at once.
 */
describe('IsActive asks the Grid before it says false', () => {
  const scaler = scalerOnAnEmptyGrid(['--poll-interval', '60', '--queue-watch-interval', '0']);

  test('a request queued after the last poll: GetMetrics (the snapshot) still 0, IsActive true, then GetMetrics 1', async () => {
    // The first poll has ended once GetMetrics answers.
    const first = await waitUntil(
      async () => (await scaler.client.getMetrics('chrome').catch(() => undefined))?.[0],
      {
        what: "the exporter's first poll",
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    expect(first.metricValue).toBe(0);
    expect(await scaler.client.isActive('chrome')).toBe(false);

    scaler.pending.push(_newSession(scaler.grid.hubUrl));
    await waitUntil(async () => (await _queuedRequests(scaler.grid)) === 1 || undefined, {
      what: 'the hub to queue the request',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    expect((await scaler.client.getMetrics('chrome'))[0]?.metricValue).toBe(0);
    expect(await scaler.client.isActive('chrome')).toBe(true);
    // IsActive's poll is a poll like any other: the snapshot has the request now.
    expect((await scaler.client.getMetrics('chrome'))[0]?.metricValue).toBe(1);
    expect(await scaler.client.isActive('firefox')).toBe(false);
  });
});

// --- internal ---

/**
 * A real hub with no node and the exporter program serving gRPC on it (with `args`), started
 * before the describe's tests and stopped after them; a test's queued requests go in `pending`.
 */
function scalerOnAnEmptyGrid(args: string[]) {
  let grid: Grid | undefined;
  let exporter: ExporterProcess | undefined;
  let client: ExternalScalerClient | undefined;
  const pending: Array<Promise<unknown>> = [];
  beforeAll(async () => {
    grid = await startGrid({ nodes: 0, registrationSecret: 'queue-clearing-secret' });
    const grpcPort = await freePort();
    exporter = await startExporterProcess(grid.hubUrl, await writePoolsFile(POOLS), [
      '--grpc-port',
      String(grpcPort),
      ...args,
    ]);
    client = externalScalerClient(`127.0.0.1:${grpcPort}`);
  });
  afterAll(async () => {
    client?.close();
    await exporter?.stop();
    await grid?.stop();
    await Promise.allSettled(pending);
  });
  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`${what} did not start`);
    return value;
  };
  return {
    get grid() {
      return started('the Grid', grid);
    },
    get exporter() {
      return started('the exporter', exporter);
    },
    get client() {
      return started('the gRPC client', client);
    },
    pending,
  };
}

async function _queuedRequests(grid: Grid): Promise<number> {
  const response = await fetch(`${grid.hubUrl}/se/grid/newsessionqueue/queue`, {
    headers: { 'X-REGISTRATION-SECRET': grid.registrationSecret },
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { value: unknown[] };
  return body.value.length;
}

/**
 * POST /session, not awaited by the test: the request waits in the queue (no node) until the queue
 * is cleared or the hub stops. Never rejects: how it ends is not what is tested.
 */
async function _newSession(hubUrl: string): Promise<number | string> {
  try {
    const response = await fetch(`${hubUrl}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify(REQUEST),
      signal: AbortSignal.timeout(120_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return (error as Error).message;
  }
}

async function _clearQueue(grid: Grid): Promise<void> {
  const response = await fetch(`${grid.hubUrl}/se/grid/newsessionqueue/queue`, {
    method: 'DELETE',
    headers: { 'X-REGISTRATION-SECRET': grid.registrationSecret },
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(200);
}
