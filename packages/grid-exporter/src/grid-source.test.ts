import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGridClient } from '@scrapegrid/selenium-grid';
import { freePort } from '@scrapegrid/test-support';
import { afterEach, describe, expect, test } from 'vitest';
import { GridPollError } from './grid-poll-error.ts';
import { GRID_QUERY } from './grid-query.ts';
import { gridSource } from './grid-source.ts';

// One poll against a local HTTP server standing in for the hub's two endpoints. Headers, charset,
// auth and TLS are the Grid client's, tested in @scrapegrid/selenium-grid.
type Answer = (req: IncomingMessage, res: ServerResponse) => void;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function poll(url: string, timeoutMs = 2_000) {
  const source = gridSource(createGridClient({ url, timeoutMs }));
  closers.push(() => source.close());
  return source.fetch();
}

async function hub(graphql: Answer, queue: Answer, seen: string[] = []): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push(body);
      (req.url === '/graphql' ? graphql : queue)(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const jsonAnswer =
  (status: number, body: unknown): Answer =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const DATA = jsonAnswer(200, { data: { grid: { sessionCount: 0 } } });
const QUEUE = jsonAnswer(200, { value: [{ requestId: 'r1', capabilities: [] }, { nope: 1 }] });

describe('one poll', () => {
  test("the exporter's query and the queue's ids", async () => {
    const seen: string[] = [];
    const url = await hub(DATA, QUEUE, seen);
    expect(await poll(url)).toEqual({ data: { grid: { sessionCount: 0 } }, queueRequestIds: ['r1'] });
    expect(seen.map((body) => (body ? JSON.parse(body).query : ''))).toContain(GRID_QUERY);
  });

  test('a queue endpoint that fails does not fail the poll: its ids are unknown', async () => {
    const url = await hub(DATA, jsonAnswer(404, {}));
    expect(await poll(url)).toEqual({ data: { grid: { sessionCount: 0 } }, queueRequestIds: undefined });
  });

  test.each([
    ['never answers', () => {}, 'timeout'],
    ['answers 503', jsonAnswer(503, {}), 'http_status'],
    ['answers GraphQL errors', jsonAnswer(200, { errors: [{ message: 'bad' }] }), 'invalid_response'],
    ['answers HTML', ((_req, res) => res.end('<html>')) as Answer, 'invalid_response'],
  ])('a hub that %s: reason %s', async (_what, graphql, reason) => {
    const url = await hub(graphql, QUEUE);
    const error = await poll(url, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GridPollError);
    expect((error as GridPollError).reason).toBe(reason);
  });

  test('nothing listening: reason unreachable', async () => {
    const error = await poll(`http://127.0.0.1:${await freePort()}`).catch((e: unknown) => e);
    expect((error as GridPollError).reason).toBe('unreachable');
  });
});
