import { status } from '@grpc/grpc-js';
import { waitUntil } from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type ExternalScalerClient, externalScalerClient } from './external-scaler-client.test-helper.ts';
import { type ExternalScalerServer, startExternalScalerServer } from './external-scaler-server.ts';
import { type FakeSnapshotSource, fakeSnapshotSource } from './fake-snapshot-source.test-helper.ts';
import { PoolActivity } from './pool-activity.ts';

let source: FakeSnapshotSource;
let activity: PoolActivity;
let server: ExternalScalerServer;
let client: ExternalScalerClient;

beforeEach(async () => {
  source = fakeSnapshotSource();
  activity = new PoolActivity(source);
  server = await startExternalScalerServer({
    host: '127.0.0.1',
    port: 0,
    activity,
    poolNames: ['chrome', 'firefox'],
    logger: pino({ level: 'silent' }),
  });
  client = externalScalerClient(`127.0.0.1:${server.port}`);
});
afterEach(async () => {
  client.close();
  await server.close(1_000);
});

describe('unary methods', () => {
  test('GetMetricSpec: one metric per pool, target 1', async () => {
    expect(await client.getMetricSpec('chrome')).toEqual([
      { metricName: 'selenium-grid-chrome-desired-nodes', targetSize: 1, targetSizeFloat: 1 },
    ]);
  });

  test('GetMetrics and IsActive give the snapshot: 0, then 3', async () => {
    source.poll({ chrome: 0, firefox: 5 });
    expect(await client.getMetrics('chrome')).toEqual([
      { metricName: 'selenium-grid-chrome-desired-nodes', metricValue: 0, metricValueFloat: 0 },
    ]);
    expect(await client.isActive('chrome')).toBe(false);
    source.poll({ chrome: 3, firefox: 5 });
    expect(await client.getMetrics('chrome')).toEqual([
      { metricName: 'selenium-grid-chrome-desired-nodes', metricValue: 3, metricValueFloat: 3 },
    ]);
    expect(await client.isActive('chrome')).toBe(true);
  });

  test('IsActive on a pool at 0 in the snapshot polls the Grid first: a session begun since the last poll keeps it active', async () => {
    source.poll({ chrome: 0, firefox: 0 });
    source.nextPollFinds({ chrome: 1, firefox: 0 });
    expect(await client.isActive('chrome')).toBe(true);
    expect(source.onDemandPolls).toBe(1);
    // GetMetrics stays on the snapshot: the HPA cannot take the pool below 1, only IsActive can.
    expect(await client.getMetrics('chrome')).toEqual([
      { metricName: 'selenium-grid-chrome-desired-nodes', metricValue: 1, metricValueFloat: 1 },
    ]);
    expect(source.onDemandPolls).toBe(1);
  });

  test.each([
    ['no poll yet', undefined, status.UNAVAILABLE, 'no poll of the Grid has ended yet'],
    ['a failed poll', 'fail', status.UNAVAILABLE, 'the last poll of the Grid failed: connect ECONNREFUSED'],
  ])(
    '%s → UNAVAILABLE (KEDA keeps its replicas or uses its fallback)',
    async (_what, fail, code, details) => {
      if (fail) source.fail();
      expect(await client.failure(() => client.getMetrics('chrome'))).toEqual({ code, details });
      expect(await client.failure(() => client.isActive('chrome'))).toEqual({ code, details });
    },
  );

  test('an unknown pool is NOT_FOUND and names the pools; no pool is INVALID_ARGUMENT', async () => {
    source.poll({ chrome: 1, firefox: 0 });
    expect(await client.failure(() => client.getMetrics('safari'))).toEqual({
      code: status.NOT_FOUND,
      details: 'no pool named "safari"; the pools are chrome, firefox',
    });
    expect(await client.failure(() => client.isActive(undefined))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: "the trigger's metadata names no pool (set pool: to one of chrome, firefox)",
    });
    expect(
      await client.failure(() => client.getMetrics('chrome', 'selenium-grid-firefox-desired-nodes')),
    ).toEqual({
      code: status.NOT_FOUND,
      details:
        'pool "chrome" serves the metric selenium-grid-chrome-desired-nodes, not "selenium-grid-firefox-desired-nodes"',
    });
  });
});

describe('StreamIsActive', () => {
  test('the current state at once, then each change; a clean end (OK) on close', async () => {
    source.poll({ chrome: 0, firefox: 0 });
    const stream = client.streamIsActive('chrome');
    expect((await stream.next(1)).map((m) => m.result)).toEqual([false]);
    source.poll({ chrome: 1, firefox: 0 });
    expect((await stream.next(2)).map((m) => m.result)).toEqual([false, true]);
    source.poll({ chrome: 3, firefox: 0 });
    source.fail();
    source.poll({ chrome: 0, firefox: 0 });
    expect((await stream.next(3)).map((m) => m.result)).toEqual([false, true, false]);
    await server.close(1_000);
    expect(await stream.ended).toEqual({ code: status.OK, details: 'OK' });
    expect(stream.messages.map((m) => m.result)).toEqual([false, true, false]);
    expect(activity.watching).toBe(0);
  });

  test('opened before the first poll, the first poll is the first message', async () => {
    const stream = client.streamIsActive('firefox');
    await _untilWatching(1);
    source.poll({ chrome: 0, firefox: 2 });
    expect((await stream.next(1)).map((m) => m.result)).toEqual([true]);
  });

  test('a client that cancels stops its watch', async () => {
    const stream = client.streamIsActive('chrome');
    await _untilWatching(1);
    stream.cancel();
    expect((await stream.ended).code).toBe(status.CANCELLED);
    await _untilWatching(0);
  });

  test('an unknown pool ends the stream with NOT_FOUND', async () => {
    const stream = client.streamIsActive('safari');
    expect(await stream.ended).toEqual({
      code: status.NOT_FOUND,
      details: 'no pool named "safari"; the pools are chrome, firefox',
    });
    expect(stream.messages).toEqual([]);
  });
});

test('StreamMetricSpec is UNIMPLEMENTED (KEDA then keeps the specs it pulled)', async () => {
  expect(await client.failure(() => client.streamMetricSpec('chrome'))).toMatchObject({
    code: status.UNIMPLEMENTED,
  });
});

// --- internal ---

async function _untilWatching(n: number): Promise<void> {
  await waitUntil(() => activity.watching === n, {
    what: `${n} open watches`,
    timeoutMs: 5_000,
    intervalMs: 5,
  });
}
