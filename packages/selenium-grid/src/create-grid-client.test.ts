import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked } from '@scrapegrid/process-group';
import { afterEach, describe, expect, test } from 'vitest';
import { createGridClient, type GridClient } from './create-grid-client.ts';
import type { GridError } from './grid-error.ts';
import { gridFailure } from './grid-failure.test-helper.ts';
import { closedUrl, json, type Seen, startStandIn } from './stand-in-grid.test-helper.ts';

// The client against local HTTP(S) stand-ins for a hub's and a node's endpoints: they show the
// headers, bodies and failures exactly. The real Grid is in test-support's grid-client.integration.test.ts.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function standIn(answer: Parameters<typeof startStandIn>[0], tls?: { key: string; cert: string }) {
  const server = await startStandIn(answer, tls);
  cleanups.push(server.close);
  return server;
}

function client(options: Parameters<typeof createGridClient>[0]): GridClient {
  const made = createGridClient(options);
  cleanups.push(made.close);
  return made;
}

function hub(req: Seen, res: Parameters<Parameters<typeof startStandIn>[0]>[1]) {
  if (req.path === '/se/grid/newsessionqueue/queue') {
    return json(res, 200, { value: [{ requestId: 'r1', capabilities: [] }, { nope: 1 }] });
  }
  if (req.path === '/graphql') return json(res, 200, { data: { grid: { sessionCount: 0 } } });
  return json(res, 200, { value: { ready: true, message: 'Selenium Grid ready.', nodes: [] } });
}

describe('headers', () => {
  test('GraphQL: one POST with the charset the Grid wants and the query; the queue ids; basic auth on both', async () => {
    const server = await standIn(hub);
    const grid = client({ url: server.url, auth: { kind: 'basic', username: 'u', password: 'p' } });
    expect(await grid.graphql('{ grid { sessionCount } sessionsInfo { sessionQueueRequests } }')).toEqual({
      grid: { sessionCount: 0 },
    });
    expect(await grid.queueRequestIds()).toEqual(['r1']);
    const graphql = server.seen.find((s) => s.path === '/graphql')!;
    expect(graphql.method).toBe('POST');
    expect(graphql.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(graphql.body).query).toContain('sessionQueueRequests');
    expect(server.seen.map((s) => s.headers.authorization)).toEqual([
      `Basic ${Buffer.from('u:p').toString('base64')}`,
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    ]);
  });

  test('bearer token', async () => {
    const server = await standIn(hub);
    const grid = client({ url: server.url, auth: { kind: 'bearer', token: 't0k' } });
    await Promise.all([grid.graphql('{ grid { version } }'), grid.queueRequestIds(), grid.status()]);
    expect(new Set(server.seen.map((s) => s.headers.authorization))).toEqual(new Set(['Bearer t0k']));
  });

  test('the registration secret header on every call, empty when there is none (the Grid wants it)', async () => {
    const server = await standIn(hub);
    await client({ url: server.url, registrationSecret: 's3' }).status();
    await client({ url: server.url }).status();
    expect(server.seen.map((s) => s.headers['x-registration-secret'])).toEqual(['s3', '']);
    expect(server.seen.map((s) => s.headers.authorization)).toEqual([undefined, undefined]);
  });

  test('credentials in the URL become basic auth and leave the URL the client reports', async () => {
    const server = await standIn(hub);
    const withCredentials = server.url.replace('http://', 'http://admin:s%3Acret@');
    const grid = client({ url: `${withCredentials}/` });
    expect(grid.url).toBe(server.url);
    await grid.status();
    expect(server.seen[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('admin:s:cret').toString('base64')}`,
    );
  });

  test('credentials both in the URL and given apart: GRID_BAD_URL, without the password', () => {
    let error: unknown;
    try {
      createGridClient({ url: 'http://a:pw@hub:4444', auth: { kind: 'bearer', token: 't' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'GRID_BAD_URL',
      message: 'http://hub:4444: credentials both in the URL and given apart; keep one',
    });
  });
});

describe('failures carry a code', () => {
  test('a hub that never answers: GRID_TIMEOUT, bounded by the client timeout or a shorter call timeout', async () => {
    const server = await standIn(() => {});
    const grid = client({ url: server.url, timeoutMs: 300 });
    const error = await gridFailure(grid.graphql('{ grid { version } }'));
    expect(error.code).toBe('GRID_TIMEOUT');
    expect(error.message).toBe(`POST ${server.url}/graphql: no answer (timed out after 300 ms)`);
    // What is left of a deadline: a fraction, rounded up.
    expect((await gridFailure(grid.status({ timeoutMs: 49.2 }))).message).toMatch(/timed out after 50 ms/);
    // A call may ask for less than the client's bound, never more.
    expect((await gridFailure(grid.status({ timeoutMs: 60_000 }))).message).toMatch(/timed out after 300 ms/);
  });

  test('nothing listening: GRID_REFUSED', async () => {
    const url = await closedUrl();
    const error = await gridFailure(client({ url }).status());
    expect(error).toMatchObject({
      code: 'GRID_REFUSED',
      message: `GET ${url}/status: no answer (ECONNREFUSED)`,
    });
  });

  test.each([
    ['an HTTP status', (res: never) => json(res, 503, {}), 'GRID_HTTP_STATUS', 503],
    [
      'not JSON',
      (res: never) => (res as { end(s: string): void }).end('<html>'),
      'GRID_INVALID_RESPONSE',
      200,
    ],
    [
      'GraphQL errors',
      (res: never) => json(res, 200, { errors: [{ message: 'bad field' }] }),
      'GRID_INVALID_RESPONSE',
      undefined,
    ],
  ])('GraphQL answered with %s: %s', async (_what, answer, code, status) => {
    const server = await standIn((_req, res) => answer(res as never));
    const error = await gridFailure(client({ url: server.url }).graphql('{ grid { version } }'));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  test('a router (no node in its /status) asked for a node status: GRID_INVALID_RESPONSE', async () => {
    const server = await standIn(hub);
    const error = await gridFailure(client({ url: server.url }).nodeStatus());
    expect(error).toMatchObject({
      code: 'GRID_INVALID_RESPONSE',
      message: `GET ${server.url}/status answered without a node status`,
    });
  });

  test("the caller's abort rejects with its reason, not a GridError", async () => {
    const server = await standIn(() => {});
    const controller = new AbortController();
    const pending = client({ url: server.url }).status({ signal: controller.signal });
    controller.abort(new Error('SIGTERM'));
    await expect(pending).rejects.toThrow('SIGTERM');
  });
});

describe('drain answers', () => {
  test.each([
    [200, '', { outcome: 'accepted', detail: 'node answered 200' }],
    [500, '', { outcome: 'refused', detail: 'node answered 500' }],
    [
      401,
      '',
      { outcome: 'refused', detail: 'node answered 401: SE_REGISTRATION_SECRET does not match the Grid' },
    ],
  ])('node answers %i', async (status, body, expected) => {
    const server = await standIn((_req, res) => res.writeHead(status).end(body));
    const names = { registrationSecret: 'SE_REGISTRATION_SECRET', auth: 'SE_ROUTER_USERNAME/PASSWORD' };
    expect(await client({ url: server.url, settingNames: names }).drainNode()).toEqual(expected);
    expect(server.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /se/grid/node/drain']);
  });

  test.each([
    [200, '{"value":true}', { outcome: 'accepted', detail: 'hub answered value true' }],
    [
      200,
      '{"value":false}',
      { outcome: 'refused', detail: 'hub answered value false (does it know this node?)' },
    ],
    [
      401,
      '',
      {
        outcome: 'refused',
        detail:
          'hub answered 401: the registration secret does not match the Grid, or the credentials are wrong',
      },
    ],
  ])('hub answers %i %s', async (status, body, expected) => {
    const server = await standIn((_req, res) => res.writeHead(status).end(body));
    expect(await client({ url: server.url }).drainNodeThroughHub('n 1/x')).toEqual(expected);
    expect(server.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /se/grid/distributor/node/n%201%2Fx/drain',
    ]);
  });

  test('no answer is an outcome, not an exception', async () => {
    const url = await closedUrl();
    expect(await client({ url }).drainNode()).toEqual({
      outcome: 'unreachable',
      detail: `POST ${url}/se/grid/node/drain: no answer (ECONNREFUSED)`,
    });
  });
});

test('https: trusted with the CA, refused without it, accepted with insecure', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'selenium-grid-tls-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
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
  const server = await standIn(hub, { key, cert });
  const results: Record<string, string> = {};
  for (const [name, options] of [
    ['ca', { ca: cert }],
    ['none', {}],
    ['insecure', { insecure: true }],
  ] as const) {
    results[name] = await client({ url: server.url, timeoutMs: 5_000, ...options })
      .graphql('{ grid { version } }')
      .then(
        () => 'ok',
        (e: GridError) => e.code,
      );
  }
  expect(results).toEqual({ ca: 'ok', none: 'GRID_UNREACHABLE', insecure: 'ok' });
}, 60_000);
