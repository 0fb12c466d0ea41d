import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked } from '@scrapegrid/test-support';
import { afterEach, describe, expect, test } from 'vitest';
import { makeGridClient } from './grid-client.ts';
import { GridPollError } from './grid-poll-error.ts';

/** The client against local HTTP(S) servers standing in for the hub's two endpoints. */
type Seen = { path: string; method: string; headers: IncomingMessage['headers']; body: string };

function hubHandler(seen: Seen[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      if (req.url === '/se/grid/newsessionqueue/queue') {
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end('{"value":[{"requestId":"r1","capabilities":[]},{"nope":1}]}');
      } else {
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end('{"data":{"grid":{"sessionCount":0}}}');
      }
    });
  };
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function listen(server: ReturnType<typeof createHttpServer>): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

describe('grid client', () => {
  test('one GraphQL POST with the charset the Grid wants, basic auth, and the queue ids', async () => {
    const seen: Seen[] = [];
    const port = await listen(createHttpServer(hubHandler(seen)));
    const client = makeGridClient({
      gridUrl: `http://127.0.0.1:${port}`,
      timeoutSeconds: 2,
      username: 'u',
      password: 'p',
    });
    const answer = await client.fetch();
    await client.close();
    expect(answer).toEqual({ data: { grid: { sessionCount: 0 } }, queueRequestIds: ['r1'] });
    const graphql = seen.find((s) => s.path === '/graphql')!;
    expect(graphql.method).toBe('POST');
    expect(graphql.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(graphql.body).query).toContain('sessionQueueRequests');
    expect(seen.map((s) => s.headers.authorization)).toEqual([
      `Basic ${Buffer.from('u:p').toString('base64')}`,
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    ]);
  });

  test('bearer token', async () => {
    const seen: Seen[] = [];
    const port = await listen(createHttpServer(hubHandler(seen)));
    const client = makeGridClient({ gridUrl: `http://127.0.0.1:${port}`, timeoutSeconds: 2, token: 't0k' });
    await client.fetch();
    await client.close();
    expect(new Set(seen.map((s) => s.headers.authorization))).toEqual(new Set(['Bearer t0k']));
  });

  test('a hub that never answers is a timeout', async () => {
    const port = await listen(createHttpServer(() => {}));
    const client = makeGridClient({ gridUrl: `http://127.0.0.1:${port}`, timeoutSeconds: 0.3 });
    const error = await client.fetch().catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(GridPollError);
    expect((error as GridPollError).reason).toBe('timeout');
  });

  test('https: trusted with the CA file, refused without it, accepted with insecure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grid-exporter-tls-'));
    const openssl = spawnTracked('openssl', 'openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    expect((await openssl.exited).code).toBe(0);
    const [key, cert] = await Promise.all([
      readFile(join(dir, 'key.pem'), 'utf8'),
      readFile(join(dir, 'cert.pem'), 'utf8'),
    ]);
    const seen: Seen[] = [];
    const port = await listen(
      createHttpsServer({ key, cert }, hubHandler(seen)) as unknown as ReturnType<typeof createHttpServer>,
    );
    const gridUrl = `https://127.0.0.1:${port}`;
    for (const [options, ok] of [
      [{ ca: cert }, true],
      [{}, false],
      [{ insecure: true }, true],
    ] as const) {
      const client = makeGridClient({ gridUrl, timeoutSeconds: 5, ...options });
      const result = await client.fetch().then(
        () => 'ok',
        (e: GridPollError) => e.reason,
      );
      await client.close();
      expect(result, JSON.stringify(options)).toBe(ok ? 'ok' : 'unreachable');
    }
  }, 60_000);
});
