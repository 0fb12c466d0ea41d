import { waitUntil } from '@scrapegrid/test-support';
import { afterEach, describe, expect, test } from 'vitest';
import { type PodApiStandIn, startPodApiStandIn } from './pod-api-stand-in.test-helper.ts';
import { startClusterRecorder } from './start-cluster-recorder.ts';

const T0 = Date.parse('2026-12-05T10:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const pod = (
  name: string,
  createdS: number,
  extra: { ip?: string; deletionS?: number; grace?: number } = {},
) => ({
  metadata: {
    name,
    uid: `uid-${name}`,
    namespace: 'grid',
    creationTimestamp: iso(createdS),
    ...(extra.deletionS === undefined
      ? {}
      : { deletionTimestamp: iso(extra.deletionS), deletionGracePeriodSeconds: extra.grace }),
  },
  ...(extra.ip ? { status: { podIP: extra.ip } } : {}),
});

describe('startClusterRecorder through @kubernetes/client-node', () => {
  let api: PodApiStandIn | undefined;
  afterEach(async () => {
    await api?.close();
  });

  test('lists, follows the watch, relists after 410 Gone, samples the Deployment', async () => {
    api = await startPodApiStandIn('grid', 'chrome-node');
    const stand = api;
    stand.listed = [pod('a', 0)];
    stand.deployment = { spec: 1, status: 1, ready: 1 };
    let clock = T0 + 100_000;
    const recorder = await startClusterRecorder({
      kubeConfig: stand.kubeConfig,
      namespace: 'grid',
      selector: 'app=chrome',
      deployment: 'chrome-node',
      intervalMs: 20,
      now: () => clock,
    });
    await waitUntil(async () => stand.openWatches() === 1, {
      what: 'the first watch',
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    clock += 1_000;
    stand.send('MODIFIED', pod('a', 0, { ip: '10.0.0.1' }));
    stand.send('ADDED', pod('b', 90, { ip: '10.0.0.2' }));
    stand.send('MODIFIED', pod('a', 0, { ip: '10.0.0.1', deletionS: 130, grace: 30 }));
    await waitUntil(async () => stand.requests.filter((r) => r === 'GET deployment').length >= 2, {
      what: 'two deployment reads',
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    stand.deployment = { spec: 2, status: 2, ready: 1 };
    // a vanishes while the watch is broken: the relist after the 410 no longer has it.
    stand.listed = [pod('b', 90, { ip: '10.0.0.2' })];
    clock += 1_000;
    stand.expire();
    await waitUntil(
      async () => stand.openWatches() === 1 && stand.requests.filter((r) => r === 'LIST').length === 2,
      {
        what: 'the relist and a new watch',
        timeoutMs: 5_000,
        intervalMs: 10,
      },
    );
    await waitUntil(async () => stand.requests.filter((r) => r === 'GET deployment').length >= 4, {
      what: 'more deployment reads',
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    clock += 1_000;
    stand.send('DELETED', pod('b', 90, { ip: '10.0.0.2' }));
    await waitUntil(async () => recorder.pods().find((p) => p.name === 'b')?.goneAt !== undefined, {
      what: 'b to be seen gone',
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    const recording = await recorder.stop();

    expect(recording.pods).toEqual([
      {
        name: 'a',
        uid: 'uid-a',
        ip: '10.0.0.1',
        createdAt: T0,
        firstSeenAt: T0 + 100_000,
        deletionDeadline: T0 + 130_000,
        graceSeconds: 30,
        deletionRequestedAt: T0 + 100_000,
        goneAt: T0 + 102_000,
      },
      {
        name: 'b',
        uid: 'uid-b',
        ip: '10.0.0.2',
        createdAt: T0 + 90_000,
        firstSeenAt: T0 + 101_000,
        goneAt: T0 + 103_000,
      },
    ]);
    expect(recording.watchRestarts).toBe(1);
    expect(recording.failedSamples).toBe(0);
    const specs = recording.replicas.map((s) => s.spec);
    expect(specs[0]).toBe(1);
    expect(specs.at(-1)).toBe(2);
    expect(recording.replicas.at(-1)).toMatchObject({ spec: 2, status: 2, ready: 1 });
    // The second watch resumes from the relist's version, the first from the first list's.
    expect(stand.requests.filter((r) => r.startsWith('WATCH'))).toEqual(['WATCH rv=100', 'WATCH rv=103']);
    // Stopping aborted the watch: the server sees its connection close.
    await waitUntil(async () => stand.openWatches() === 0, {
      what: 'the watch to close',
      timeoutMs: 5_000,
      intervalMs: 10,
    });
  });
});
