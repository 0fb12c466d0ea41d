import { KubeConfig } from '@kubernetes/client-node';
import { type KubeApiDouble, startKubeApiDouble } from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildGridData, type NodeSpec } from './build-grid-data.ts';
import { DeletionCostController, type PatchResult } from './deletion-cost-controller.ts';
import { GridPoller } from './grid-poller.ts';
import type { GridAnswer, GridSource } from './grid-source.ts';
import { POD_DELETION_COST } from './pod-deletion-costs.ts';
import { makePool } from './pool.ts';

/** The controller against the API-server double (test-support's startKubeApiDouble), not a cluster. */
const CHROME = { browserName: 'chrome' };
const logger = pino({ level: 'silent' });
const pool = makePool({
  name: 'chrome',
  browserName: 'chrome',
  kubernetes: { namespace: 'selenium', podSelector: 'app=chrome,tier!=hub' },
});

const node = (i: number, sessions: number): NodeSpec => ({
  id: `node-${i}`,
  uri: `http://10.0.0.${i}:5555`,
  stereotypes: [{ slots: 1, stereotype: CHROME }],
  sessions: Array.from({ length: sessions }, () => CHROME),
});

describe('pod-deletion-cost controller', () => {
  let api: KubeApiDouble;
  let answer: GridAnswer;
  let poller: GridPoller;
  let controller: DeletionCostController;
  let results: PatchResult[];

  beforeEach(async () => {
    api = await startKubeApiDouble();
    for (let i = 1; i <= 3; i++) {
      api.addPod({
        metadata: { name: `chrome-${i}`, namespace: 'selenium', labels: { app: 'chrome' } },
        status: { podIP: `10.0.0.${i}` },
      });
    }
    // Pods the selector must not reach: another app, another namespace.
    api.addPod({
      metadata: { name: 'hub', namespace: 'selenium', labels: { app: 'chrome', tier: 'hub' } },
      status: { podIP: '10.0.0.9' },
    });
    api.addPod({
      metadata: { name: 'chrome-1', namespace: 'other', labels: { app: 'chrome' } },
      status: { podIP: '10.0.0.1' },
    });
    answer = { data: buildGridData([node(1, 1), node(2, 0), node(3, 0)], []), queueRequestIds: [] };
    const client: GridSource = { fetch: async () => answer, close: async () => {} };
    poller = new GridPoller({ client, pools: [pool], intervalSeconds: 60, logger });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'double', server: api.url, skipTLSVerify: true }],
      users: [{ name: 'exporter', token: api.token }],
      contexts: [{ name: 'double', cluster: 'double', user: 'exporter' }],
      currentContext: 'double',
    });
    results = [];
    controller = new DeletionCostController({
      kubeConfig,
      pools: [pool],
      logger,
      onPatch: (r) => results.push(r),
    });
  });
  afterEach(async () => {
    await controller.stop();
    await api.close();
  });

  const poll = async () => controller.onSnapshot(await poller.pollOnce());
  const cost = (name: string, namespace = 'selenium') =>
    api.pods.get(`${namespace}/${name}`)?.metadata.annotations?.[POD_DELETION_COST];
  const patches = () => api.requests.filter((r) => r.method === 'PATCH');

  test('busy pods high, idle pods low, as merge patches; nothing outside the selector', async () => {
    await poll();
    expect([cost('chrome-1'), cost('chrome-2'), cost('chrome-3')]).toEqual(['1000', '-1000', '-1000']);
    expect(cost('hub')).toBeUndefined();
    expect(cost('chrome-1', 'other')).toBeUndefined();
    expect(patches().map((p) => p.contentType)).toEqual(Array(3).fill('application/merge-patch+json'));
    expect(results).toEqual(['ok', 'ok', 'ok']);
  });

  test('patches only what changes', async () => {
    await poll();
    await poll();
    expect(patches()).toHaveLength(3);
    answer = { data: buildGridData([node(1, 0), node(2, 1), node(3, 0)], []), queueRequestIds: [] };
    await poll();
    expect(patches()).toHaveLength(5);
    expect([cost('chrome-1'), cost('chrome-2'), cost('chrome-3')]).toEqual(['-1000', '1000', '-1000']);
  });

  test('an idle node about to receive a queued request is marked busy', async () => {
    answer = { data: buildGridData([node(1, 1), node(2, 0), node(3, 0)], [CHROME]), queueRequestIds: ['r'] };
    await poll();
    // The Grid sends the request to the idle node with the lowest id: node-2.
    expect([cost('chrome-1'), cost('chrome-2'), cost('chrome-3')]).toEqual(['1000', '1000', '-1000']);
  });

  test('409: a pod changed since the list is not overwritten, and is patched on the next poll', async () => {
    api.beforePatch = (ns, name) => {
      if (name === 'chrome-2') api.touch(ns, name);
    };
    await poll();
    expect(results).toEqual(['ok', 'conflict', 'ok']);
    expect(cost('chrome-2')).toBeUndefined();
    api.beforePatch = undefined;
    await poll();
    expect(cost('chrome-2')).toBe('-1000');
  });

  test('404: a pod deleted between list and patch is skipped', async () => {
    api.beforePatch = (ns, name) => {
      if (name === 'chrome-3') api.pods.delete(`${ns}/${name}`);
    };
    await poll();
    expect(results).toEqual(['ok', 'ok', 'not_found']);
  });

  test('403: without RBAC to patch, the controller reports it and the exporter carries on', async () => {
    api.grants = (_ns, verb) => verb === 'list';
    await poll();
    expect(results).toEqual(['forbidden', 'forbidden', 'forbidden']);
    api.grants = () => false;
    await expect(poll()).resolves.toBeUndefined();
    expect(api.requests.at(-1)?.status).toBe(403);
  });

  test('a failed poll changes nothing', async () => {
    await poll();
    const before = api.requests.length;
    await controller.onSnapshot({
      sequence: 99,
      at: Date.now(),
      durationSeconds: 0,
      error: undefined,
      grid: undefined,
    });
    expect(api.requests.length).toBe(before);
  });
});
