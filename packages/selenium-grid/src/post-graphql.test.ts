import { afterEach, describe, expect, test } from 'vitest';
import { createGridClient } from './create-grid-client.ts';
import { gridFailure } from './grid-failure.test-helper.ts';
import { closedUrl, json, type Seen, startStandIn } from './stand-in-grid.test-helper.ts';

// The Grid's GraphQL query as graphql-request sends it over the client's Agent, against a local
// stand-in: every way it fails is a GridError with its code (the real Grid answers in
// test-support's grid-client.integration.test.ts).
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const QUERY = '{ grid { sessionCount } }';

async function grid(answer: Parameters<typeof startStandIn>[0], timeoutMs?: number) {
  const server = await startStandIn(answer);
  cleanups.push(server.close);
  return { server, client: client(server.url, timeoutMs) };
}

function client(url: string, timeoutMs?: number) {
  const made = createGridClient({ url, timeoutMs });
  cleanups.push(made.close);
  return made;
}

describe('the answer', () => {
  test("data: what the query returns; one POST with the query, the Grid's content type, the credentials of the URL", async () => {
    const server = await startStandIn((_req, res) => json(res, 200, { data: { grid: { sessionCount: 3 } } }));
    cleanups.push(server.close);
    const hub = client(server.url.replace('http://', 'http://admin:pw@'));
    expect(await hub.graphql(QUERY)).toEqual({ grid: { sessionCount: 3 } });
    const [seen] = server.seen as [Seen];
    expect(server.seen).toHaveLength(1);
    expect([seen.method, seen.path]).toEqual(['POST', '/graphql']);
    expect(seen.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('admin:pw').toString('base64')}`);
    expect(seen.headers['x-registration-secret']).toBe('');
    expect(JSON.parse(seen.body)).toEqual({ query: QUERY });
  });

  test('the registration secret and a bearer token ride along', async () => {
    const server = await startStandIn((_req, res) => json(res, 200, { data: {} }));
    cleanups.push(server.close);
    const hub = createGridClient({
      url: server.url,
      registrationSecret: 's3',
      auth: { kind: 'bearer', token: 't0k' },
    });
    cleanups.push(hub.close);
    expect(await hub.graphql(QUERY)).toEqual({});
    expect(server.seen.map((s) => [s.headers['x-registration-secret'], s.headers.authorization])).toEqual([
      ['s3', 'Bearer t0k'],
    ]);
  });
});

describe('every failure is a GridError with its code', () => {
  test('HTTP 500: GRID_HTTP_STATUS with the status', async () => {
    const { server, client: hub } = await grid((_req, res) => json(res, 500, { message: 'boom' }));
    const error = await gridFailure(hub.graphql(QUERY));
    expect(error).toMatchObject({
      code: 'GRID_HTTP_STATUS',
      status: 500,
      message: `POST ${server.url}/graphql answered 500`,
    });
  });

  test('HTTP 500 with GraphQL errors in the body: still GRID_HTTP_STATUS', async () => {
    const { client: hub } = await grid((_req, res) => json(res, 500, { errors: [{ message: 'internal' }] }));
    expect(await gridFailure(hub.graphql(QUERY))).toMatchObject({ code: 'GRID_HTTP_STATUS', status: 500 });
  });

  test('GraphQL errors in a 200 body: GRID_INVALID_RESPONSE naming the first', async () => {
    const { server, client: hub } = await grid((_req, res) =>
      json(res, 200, {
        data: null,
        errors: [{ message: 'Field "nope" is not defined' }, { message: 'second' }],
      }),
    );
    const error = await gridFailure(hub.graphql(QUERY));
    expect(error).toMatchObject({
      code: 'GRID_INVALID_RESPONSE',
      status: undefined,
      message: `POST ${server.url}/graphql answered GraphQL errors: Field "nope" is not defined`,
    });
  });

  test.each([
    ['HTML, no content type', undefined, '<html>hello</html>'],
    ['broken JSON', 'application/json', '{"data": '],
    ['JSON that is not an object', 'application/json', '"just a string"'],
  ])('a 200 body that is not a GraphQL answer (%s): GRID_INVALID_RESPONSE', async (_what, type, body) => {
    const { server, client: hub } = await grid((_req, res) => {
      if (type) res.setHeader('content-type', type);
      res.end(body);
    });
    const error = await gridFailure(hub.graphql(QUERY));
    expect(error).toMatchObject({
      code: 'GRID_INVALID_RESPONSE',
      status: 200,
      message: `POST ${server.url}/graphql answered 200 without a GraphQL answer (JSON)`,
    });
  });

  test('nothing listening: GRID_REFUSED', async () => {
    const url = await closedUrl();
    const error = await gridFailure(client(url).graphql(QUERY));
    expect(error).toMatchObject({
      code: 'GRID_REFUSED',
      message: `POST ${url}/graphql: no answer (ECONNREFUSED)`,
    });
  });

  test('no answer within the timeout: GRID_TIMEOUT, the shorter call timeout winning', async () => {
    const { server, client: hub } = await grid(() => {}, 300);
    const started = Date.now();
    expect(await gridFailure(hub.graphql(QUERY))).toMatchObject({
      code: 'GRID_TIMEOUT',
      message: `POST ${server.url}/graphql: no answer (timed out after 300 ms)`,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await gridFailure(hub.graphql(QUERY, { timeoutMs: 99.5 }))).toMatchObject({
      code: 'GRID_TIMEOUT',
      message: `POST ${server.url}/graphql: no answer (timed out after 100 ms)`,
    });
  });

  test('headers that come but a body that stalls: GRID_TIMEOUT, not a body that is not JSON', async () => {
    const { server, client: hub } = await grid((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
    }, 300);
    expect(await gridFailure(hub.graphql(QUERY))).toMatchObject({
      code: 'GRID_TIMEOUT',
      message: `POST ${server.url}/graphql: no answer (timed out after 300 ms)`,
    });
  });

  test("the caller's abort rejects with its reason, not a GridError", async () => {
    const { client: hub } = await grid(() => {});
    const controller = new AbortController();
    const pending = hub.graphql(QUERY, { signal: controller.signal });
    controller.abort(new Error('SIGTERM'));
    await expect(pending).rejects.toThrow('SIGTERM');
  });
});
