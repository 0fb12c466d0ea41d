import { KubeConfig } from '@kubernetes/client-node';
import { clusterLayout, type LocalCluster } from '@scrapegrid/local-cluster';
import { formatTable, LOAD_PROFILES, type LoadResults, runLoad } from '@scrapegrid/session-load';
import { type FixtureSite, startFixtureSite, waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  applySharedGridUnderKeda,
  NS,
  type SharedGridUnderKeda,
  startClusterWithKeda,
} from './shared-grid-under-keda.ts';

/**
 * Issue 18's guard in CI: grid-keda-push (grid-exporter's external-push scaler) under real KEDA
 * takes the `smoke` session load from an empty pool, the requests as Selenium's Python and Java
 * clients send them by default (`browserName: chrome`, no platformName), with the router's
 * credentials. Every session gets a browser, does its work on the fixture site and ends as its
 * client asked; none is lost, no pod is stuck Terminating; then KEDA returns the pool to 0.
 * The full comparison of configurations is `bench:load` (k8s/README), not a test.
 */
const SEED = 18;
/**
 * From an empty pool a session waits for the push, KEDA's scale, the pod's start and its
 * registration (~20-40 s on this 2-core machine); a burst beyond one node waits for the HPA's
 * next sync (15 s) and another start. Three minutes means the pool did not follow the queue.
 */
const MAX_WAIT_MS = 180_000;

describe('grid-keda-push under real KEDA takes a session load from 0 and back', () => {
  let cluster: LocalCluster;
  let site: FixtureSite;
  let g: SharedGridUnderKeda;
  let results: LoadResults;

  beforeAll(async () => {
    cluster = await startClusterWithKeda();
    // On the cluster's bridge, which exists once the cluster is up: the browser pods reach it there.
    site = await startFixtureSite({ host: clusterLayout.bridgeIp });
    g = await applySharedGridUnderKeda(cluster, 'grid-keda-push');
    // The pool starts at 0 (applySharedGridUnderKeda): KEDA holds it there while nothing is queued.
    await waitUntil(async () => (await g.replicas()) === 0 && (await g.nodePods()).length === 0, {
      what: 'KEDA to hold the idle pool at 0',
      timeoutMs: 300_000,
      intervalMs: 2_000,
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(cluster.kubeconfig);
    results = await runLoad({
      hubUrl: g.hubUrl,
      siteUrl: site.url,
      sitePages: site.pages,
      profile: LOAD_PROFILES.smoke as NonNullable<(typeof LOAD_PROFILES)['smoke']>,
      seed: SEED,
      thinkMs: 500,
      cluster: {
        kubeConfig,
        namespace: NS,
        selector: 'app.kubernetes.io/name=selenium-node-chrome',
        deployment: 'selenium-node-chrome',
      },
      maxRunMs: 600_000,
    });
    console.log(
      `smoke load through grid-keda-push, seed ${SEED}:\n${formatTable([{ name: 'E grid-keda-push', ...results }])}`,
    );
  }, 3_600_000);

  afterAll(async () => {
    await cluster?.stop();
    await site?.close();
  }, 300_000);

  test('every planned session got a browser without platformName and ended as asked: none lost, none failed to start', () => {
    expect(results.capabilities).toEqual({ browserName: 'chrome' });
    const { planned, requested, skipped, ok, lost, failedToStart, cut } = results.summary;
    expect({ requested, skipped, ok, lost, failedToStart, cut }).toEqual({
      requested: planned,
      skipped: 0,
      ok: planned,
      lost: 0,
      failedToStart: 0,
      cut: 0,
    });
    expect(planned).toBeGreaterThanOrEqual(3);
  });

  test('the queue wait is bounded: the pool followed the queue from 0', () => {
    const wait = results.summary.queueWait;
    expect(wait.count).toBe(results.summary.planned);
    expect(wait.maxMs).toBeLessThan(MAX_WAIT_MS);
  });

  test('the browser pods carried the sessions, none was left stuck Terminating', () => {
    expect(results.cost?.pods).toBeGreaterThanOrEqual(1);
    expect(results.cost?.stuckTerminating).toEqual([]);
    expect(results.cost?.sessionsWithoutNode).toBe(0);
  });

  test('after the load KEDA returns the pool to 0', async () => {
    await waitUntil(async () => (await g.replicas()) === 0 && (await g.nodePods()).length === 0, {
      what: 'the pool back at 0 (cooldown 20 s, then drain-hook)',
      timeoutMs: 240_000,
      intervalMs: 2_000,
    });
  }, 300_000);
});
