import { spawnSync } from 'node:child_process';
import { type Grid, spawnTracked, startGrid, waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ExporterProcess,
  MAIN_TS,
  sample,
  startExporterProcess,
  writePoolsFile,
} from './exporter-process.test-helper.ts';
import { type PrometheusProcess, startPrometheus } from './prometheus-process.test-helper.ts';

/**
 * A real hub with one one-slot Chromium node, the real exporter program and a real Prometheus.
 * Three session requests: one runs, two wait in the queue; the pool then needs three nodes.
 */
const POOLS = `- name: chrome
  browserName: chrome
  platformName: linux
`;
const REQUEST = { capabilities: { alwaysMatch: { browserName: 'chrome', platformName: 'linux' } } };

describe('against a real Grid', () => {
  let grid: Grid;
  let exporter: ExporterProcess;
  let prometheus: PrometheusProcess | undefined;
  let poolsFile: string;
  const pending: Array<Promise<string | undefined>> = [];

  beforeAll(async () => {
    grid = await startGrid({ nodes: 1, node: { maxSessions: 1 } });
    poolsFile = await writePoolsFile(POOLS);
    exporter = await startExporterProcess(grid.hubUrl, poolsFile);
  });
  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
    await grid?.stop();
    await Promise.allSettled(pending);
  });

  test('an idle Grid needs no node', async () => {
    await waitUntil(async () => sample(await exporter.metrics(), 'selenium_grid_up') === 1, {
      what: 'a successful poll',
      timeoutMs: 15_000,
    });
    const pool = await exporter.pool('chrome');
    expect(pool).toMatchObject({
      status: 200,
      body: { pool: 'chrome', desiredNodes: 0, queuedRequests: 0, nodes: 1, freeSlots: 1 },
    });
  });

  test('`once` prints exposition text that promtool accepts, and exits 0', async () => {
    const once = spawnTracked('grid-exporter-once', process.execPath, [
      MAIN_TS,
      'once',
      '--grid-url',
      grid.hubUrl,
      '--pools',
      poolsFile,
    ]);
    const exit = await once.exited;
    const text = once
      .output()
      .split('\n')
      .filter((l) => !l.startsWith('{'))
      .join('\n');
    expect(exit.code).toBe(0);
    expect(sample(text, 'selenium_grid_up')).toBe(1);
    expect(sample(text, 'selenium_grid_pool_desired_nodes{pool="chrome"}')).toBe(0);
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  test('one running and two queued sessions: queue 2, desired 3, also through Prometheus; after they end, desired 0', async () => {
    for (let i = 0; i < 3; i++) pending.push(_newSession(grid.hubUrl));
    const pool = await waitUntil(
      async () => {
        const p = await exporter.pool('chrome');
        return p.body.queuedRequests === 2 && p.body.busyNodes === 1 ? p : undefined;
      },
      { what: 'one session running and two queued', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(pool.body).toMatchObject({ desiredNodes: 3, sessions: 1, freeSlots: 0, unplacedRequests: 2 });
    const text = await exporter.metrics();
    expect(sample(text, 'selenium_grid_queue_size')).toBe(2);
    expect(sample(text, 'selenium_grid_pool_desired_nodes{pool="chrome"}')).toBe(3);
    expect(sample(text, 'selenium_grid_slots{state="busy"}')).toBe(1);

    prometheus = await startPrometheus(new URL(exporter.url).host);
    const fromPrometheus = await waitUntil(
      async () => {
        const result = await prometheus!.query('selenium_grid_pool_desired_nodes{pool="chrome"}');
        return result.length > 0 ? result : undefined;
      },
      { what: 'Prometheus to have scraped the exporter', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(fromPrometheus).toEqual([
      { metric: expect.objectContaining({ pool: 'chrome', job: 'grid-exporter' }), value: 3 },
    ]);
    // The queue wait is measured across polls: the two queued requests have waited a while by now.
    expect(sample(await exporter.metrics(), 'selenium_grid_queue_oldest_wait_seconds')).toBeGreaterThan(0);

    // Then the same sessions end here, not in a later test: tests run in any order, and every
    // other test expects an idle Grid. End each session as soon as it starts (in whatever order
    // the Grid serves them): the queued requests then get the slot one after another.
    const ids = await Promise.all(
      pending.map(async (started) => {
        const id = await started;
        if (id !== undefined)
          await fetch(`${grid.hubUrl}/session/${id}`, {
            method: 'DELETE',
            signal: AbortSignal.timeout(30_000),
          });
        return id;
      }),
    );
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    await waitUntil(
      async () => {
        const p = await exporter.pool('chrome');
        return p.body.desiredNodes === 0 && p.body.queuedRequests === 0 && p.body.sessions === 0;
      },
      { what: 'desired nodes back to 0', timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(sample(await exporter.metrics(), 'selenium_grid_queue_oldest_wait_seconds')).toBe(0);
  });
});

// --- internal ---

/** POST /session: resolves with the session id once the Grid has created it (it may queue first). */
async function _newSession(hubUrl: string): Promise<string | undefined> {
  const response = await fetch(`${hubUrl}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(REQUEST),
    signal: AbortSignal.timeout(150_000),
  });
  const body = (await response.json()) as { value?: { sessionId?: string } };
  return body.value?.sessionId;
}
