import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { createWebDriverClient } from './webdriver-client.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

/** A stand-in hub that answers POST /session and records what each request carried. */
async function recordingHub(): Promise<{
  port: number;
  seen: { path: string; headers: IncomingHttpHeaders }[];
}> {
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  const hub = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ value: { sessionId: 's1', capabilities: {} } }));
  });
  server = hub;
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  return { port: (hub.address() as AddressInfo).port, seen };
}

test("credentials in the hub URL go as the router's basic auth, never in the request line", async () => {
  const hub = await recordingHub();
  const client = createWebDriverClient({ hubUrl: `http://scrape%40grid:p%3Ass@127.0.0.1:${hub.port}/` });
  expect((await client.newSession({ browserName: 'chrome' })).sessionId).toBe('s1');
  await client.close();
  expect(hub.seen.map((r) => r.path)).toEqual(['/session']);
  expect(hub.seen[0]?.headers.authorization).toBe(
    `Basic ${Buffer.from('scrape@grid:p:ss').toString('base64')}`,
  );
});

test('a hub URL without credentials sends no Authorization header', async () => {
  const hub = await recordingHub();
  const client = createWebDriverClient({ hubUrl: `http://127.0.0.1:${hub.port}` });
  await client.newSession({ browserName: 'chrome' });
  await client.close();
  expect(hub.seen[0]?.headers.authorization).toBeUndefined();
});
