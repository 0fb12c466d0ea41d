import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@scrapegrid/test-support';
import { afterEach, describe, expect, test } from 'vitest';
import { GridNotReadyError, waitForGrid } from './wait-for-grid.ts';

describe('waitForGrid', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function hub(answers: boolean[]): Promise<string> {
    let calls = 0;
    server = createServer((_req, res) => {
      const ready = answers[Math.min(calls++, answers.length - 1)];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ value: { ready, message: ready ? 'Selenium Grid ready.' : 'no nodes yet' } }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  test('returns once the hub says ready', async () => {
    const url = await hub([false, false, true]);
    const started = Date.now();
    await waitForGrid(url, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // two polls 500 ms apart
  });

  test('gives up at the deadline with what the hub last said', async () => {
    const url = await hub([false]);
    await expect(waitForGrid(url, 1200)).rejects.toThrow(
      new GridNotReadyError(`the Grid at ${url} was not ready after 1200 ms (not ready: no nodes yet)`),
    );
  });

  test('a hub that does not answer yet (the worker started first) is waited for, then reported', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const seen: string[] = [];
    await expect(waitForGrid(url, 1000, undefined, (problem) => seen.push(problem))).rejects.toThrow(
      /was not ready after 1000 ms \(fetch failed: connect ECONNREFUSED/,
    );
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });

  test('stops at once when aborted', async () => {
    const url = await hub([false]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGTERM')), 100);
    await expect(waitForGrid(url, 60_000, controller.signal)).rejects.toThrow();
    expect(controller.signal.aborted).toBe(true);
  });
});
