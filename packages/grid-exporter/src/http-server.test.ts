import { pino } from 'pino';
import { afterEach, expect, test } from 'vitest';
import { buildGridData } from './build-grid-data.ts';
import { makeExporterMetrics } from './exporter-metrics.ts';
import { GridPoller } from './grid-poller.ts';
import type { GridSource } from './grid-source.ts';
import { type ExporterServer, startExporterServer } from './http-server.ts';
import { makePool } from './pool.ts';

let server: ExporterServer | undefined;
afterEach(async () => {
  await server?.close();
});

test('endpoints before and after the first poll', async () => {
  let calls = 0;
  const client: GridSource = {
    fetch: async () => {
      calls++;
      return { data: buildGridData([], [{ browserName: 'chrome' }]), queueRequestIds: [] };
    },
    close: async () => {},
  };
  const logger = pino({ level: 'silent' });
  const poller = new GridPoller({
    client,
    pools: [makePool({ name: 'chrome', browserName: 'chrome' })],
    intervalSeconds: 60,
    logger,
  });
  server = await startExporterServer({
    host: '127.0.0.1',
    port: 0,
    poller,
    metrics: makeExporterMetrics(poller, 't'),
    poolNames: ['chrome'],
    logger,
  });
  const base = `http://127.0.0.1:${server.port}`;
  const get = async (path: string, method = 'GET') => {
    const r = await fetch(`${base}${path}`, { method });
    return { status: r.status, text: await r.text() };
  };

  expect(await get('/healthz')).toEqual({ status: 200, text: 'ok\n' });
  expect((await get('/readyz')).status).toBe(503);
  expect((await get('/pools/chrome')).status).toBe(503);
  await poller.pollOnce();
  expect((await get('/readyz')).status).toBe(200);
  const pool = await get('/pools/chrome');
  expect(pool.status).toBe(200);
  expect(JSON.parse(pool.text)).toMatchObject({ pool: 'chrome', desiredNodes: 1, queuedRequests: 1 });
  expect(JSON.parse((await get('/pools')).text)).toEqual({ pools: ['chrome'] });
  expect((await get('/pools/firefox')).status).toBe(404);
  expect((await get('/nope')).status).toBe(404);
  expect((await get('/metrics', 'POST')).status).toBe(405);
  expect(await get('/metrics', 'HEAD')).toEqual({ status: 200, text: '' });
  // No endpoint calls the Grid: only the explicit poll did.
  expect(calls).toBe(1);
});
