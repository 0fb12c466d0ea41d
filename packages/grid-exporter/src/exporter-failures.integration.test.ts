import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, spawnTracked, waitUntil } from '@scrapegrid/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildGridData } from './build-grid-data.ts';
import {
  type ExporterProcess,
  MAIN_TS,
  sample,
  startExporterProcess,
  writePoolsFile,
} from './exporter-process.test-helper.ts';

/**
 * The real exporter program against a Grid that is down, slow, or answers garbage. A real Grid
 * cannot be made to misbehave on cue, so a small HTTP server plays the hub here. Whatever it does,
 * the exporter reports selenium_grid_up 0, counts the error by reason, and keeps serving.
 */
type Mode = 'good' | 'garbage' | 'slow' | 'status' | 'graphql-errors';

describe('a Grid that is down, slow or answering garbage', () => {
  let mode: Mode = 'good';
  let server: Server;
  let exporter: ExporterProcess;
  let poolsFile: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/se/grid/newsessionqueue/queue')) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"value":[]}');
        return;
      }
      req.resume();
      if (mode === 'garbage')
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>not json');
      else if (mode === 'status') res.writeHead(502, { 'Content-Type': 'text/plain' }).end('bad gateway');
      else if (mode === 'graphql-errors')
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"errors":[{"message":"boom"}]}');
      else if (mode === 'slow') setTimeout(() => res.writeHead(200).end('{}'), 4_000).unref();
      else {
        const data = buildGridData(
          [{ id: 'n1', stereotypes: [{ slots: 1, stereotype: { browserName: 'chrome' } }] }],
          [{ browserName: 'chrome' }],
        );
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    poolsFile = await writePoolsFile('- name: chrome\n  browserName: chrome\n');
    exporter = await startExporterProcess(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      poolsFile,
    );
  });
  afterAll(async () => {
    await exporter?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  // A failed test must not leave the stand-in answering badly for the tests after it.
  afterEach(() => {
    mode = 'good';
  });

  const errors = async (reason: string) =>
    sample(await exporter.metrics(), `selenium_grid_poll_errors_total{reason="${reason}"}`) ?? 0;

  test('a good answer: up 1, ready', async () => {
    await waitUntil(async () => sample(await exporter.metrics(), 'selenium_grid_up') === 1, {
      what: 'up 1',
      timeoutMs: 10_000,
    });
    expect((await fetch(`${exporter.url}/readyz`)).status).toBe(200);
    expect(await exporter.pool('chrome')).toMatchObject({ status: 200, body: { desiredNodes: 1 } });
  });

  test.each<[Mode, string]>([
    ['garbage', 'invalid_response'],
    ['graphql-errors', 'invalid_response'],
    ['status', 'http_status'],
    ['slow', 'timeout'],
  ])('%s: up 0, %s errors rise, still serving', async (next, reason) => {
    const before = await errors(reason);
    mode = next;
    await waitUntil(async () => (await errors(reason)) >= before + 2, {
      what: `${reason} errors to rise`,
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    const text = await exporter.metrics();
    expect(sample(text, 'selenium_grid_up')).toBe(0);
    expect(sample(text, 'selenium_grid_pool_desired_nodes{pool="chrome"}')).toBeUndefined();
    expect((await fetch(`${exporter.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${exporter.url}/readyz`)).status).toBe(503);
    expect((await exporter.pool('chrome')).status).toBe(503);
    expect(exporter.process.isRunning()).toBe(true);
    mode = 'good';
    await waitUntil(async () => sample(await exporter.metrics(), 'selenium_grid_up') === 1, {
      what: 'recovery',
      timeoutMs: 15_000,
    });
  });

  test('down: unreachable errors rise; `once` prints up 0 and exits 1', async () => {
    const port = await freePort(); // nothing listens here
    const down = await startExporterProcess(`http://127.0.0.1:${port}`, poolsFile);
    try {
      await waitUntil(
        async () =>
          (sample(await down.metrics(), 'selenium_grid_poll_errors_total{reason="unreachable"}') ?? 0) >= 2,
        {
          what: 'unreachable errors',
          timeoutMs: 15_000,
        },
      );
      expect(sample(await down.metrics(), 'selenium_grid_up')).toBe(0);
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
    } finally {
      await down.stop();
    }
    const once = spawnTracked('grid-exporter-once', process.execPath, [
      MAIN_TS,
      'once',
      '--grid-url',
      `http://127.0.0.1:${port}`,
      '--pools',
      poolsFile,
    ]);
    expect((await once.exited).code).toBe(1);
    expect(once.output()).toMatch(/^selenium_grid_up 0$/m);

    // Credentials in the Grid URL are basic auth: in no line the exporter prints.
    const withPassword = spawnTracked(
      'grid-exporter-once-credentials',
      process.execPath,
      [MAIN_TS, 'once', '--pools', poolsFile],
      { env: { GRID_EXPORTER_GRID_URL: `http://reader:grid-pw-5d2a@127.0.0.1:${port}` } },
    );
    expect((await withPassword.exited).code).toBe(1);
    expect(withPassword.output()).toMatch(/^selenium_grid_up 0$/m);
    expect(withPassword.output()).toContain(`"gridUrl":"http://127.0.0.1:${port}"`);
    expect(withPassword.output()).not.toContain('grid-pw-5d2a');
  });

  test('SIGTERM: the server stops and the process exits 0 within its grace period', async () => {
    const extra = await startExporterProcess(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      poolsFile,
    );
    const started = Date.now();
    extra.process.child.kill('SIGTERM');
    const exit = await extra.process.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a bad pools file exits 2 naming the field', async () => {
    const bad = await writePoolsFile('- name: chrome\n  nodeMaxSessions: 0\n');
    const run = spawnTracked('grid-exporter-bad', process.execPath, [
      MAIN_TS,
      'once',
      '--grid-url',
      'http://127.0.0.1:1',
      '--pools',
      bad,
    ]);
    expect((await run.exited).code).toBe(2);
    expect(run.output()).toContain('pools[0].nodeMaxSessions');
  });
});
