import { KubeConfig } from '@kubernetes/client-node';
import { clusterLayout, type LocalCluster } from '@scrapegrid/local-cluster';
import {
  formatTable,
  LOAD_PROFILES,
  type LoadResults,
  peakAlivePods,
  runLoad,
  startClusterRecorder,
} from '@scrapegrid/session-load';
import { type FixtureSite, startFixtureSite } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deleteCrawlJob, dropCrawlTable, runShardedCrawl, type ShardedCrawl } from './sharded-crawl.ts';
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
 * On the same cluster and Grid (issue 21): overlays/scrape-job-shared-grid as one scrape Job (1
 * shard, 4 sessions) takes the pool 0 -> 4 -> 0; then its Indexed Job crawls the fixture site in 4
 * shards through the shared hub into the demo's in-cluster PostgreSQL, one shard's pod deleted
 * mid-run. Each crawl loads every record exactly once and the pool returns to 0.
 */
const SEED = 18;
/**
 * From an empty pool a session waits for the push, KEDA's scale, the pod's start and its
 * registration (~20-40 s on this 2-core machine); a burst beyond one node waits for the HPA's
 * next sync (15 s) and another start. Three minutes means the pool did not follow the queue.
 */
const MAX_WAIT_MS = 180_000;
const NODE_PODS = {
  namespace: NS,
  selector: 'app.kubernetes.io/name=selenium-node-chrome',
  deployment: 'selenium-node-chrome',
};

describe('grid-keda-push under real KEDA takes a session load from 0 and back', () => {
  let cluster: LocalCluster;
  let site: FixtureSite;
  let g: SharedGridUnderKeda;
  let results: LoadResults;
  let kubeConfig: KubeConfig;

  beforeAll(async () => {
    cluster = await startClusterWithKeda(['scrapegrid/worker:0.1.0', 'postgres:15-bookworm']);
    // On the cluster's bridge, which exists once the cluster is up: the browser pods reach it there.
    site = await startFixtureSite({ host: clusterLayout.bridgeIp });
    g = await applySharedGridUnderKeda(cluster, 'grid-keda-push');
    // The pool starts at 0 (applySharedGridUnderKeda): KEDA holds it there while nothing is queued.
    await g.waitForEmptyPool('KEDA to hold the idle pool at 0', 300_000);
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(cluster.kubeconfig);
    results = await runLoad({
      hubUrl: g.hubUrl,
      siteUrl: site.url,
      sitePages: site.pages,
      profile: LOAD_PROFILES.smoke as NonNullable<(typeof LOAD_PROFILES)['smoke']>,
      seed: SEED,
      thinkMs: 500,
      cluster: { kubeConfig, ...NODE_PODS },
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
    await g.waitForEmptyPool('the pool back at 0 (cooldown 20 s, then drain-hook)', 240_000);
  }, 300_000);

  describe('one scrape Job (1 shard, 4 sessions) through the shared Grid', () => {
    const table = `products_shared_${Date.now()}`;
    let crawl: ShardedCrawl;
    let peak: number;
    beforeAll(async () => {
      const recorder = await startClusterRecorder({ kubeConfig, ...NODE_PODS });
      try {
        // delayPerHostMs 0: the overlay's 500 ms per host would make this a two-minute crawl of one host.
        crawl = await runShardedCrawl(cluster, {
          siteUrl: site.url,
          pages: site.pages,
          concurrency: 4,
          shards: 1,
          parallelism: 1,
          delayPerHostMs: 0,
          table,
        });
        await g.waitForEmptyPool('the pool back at 0 after the one-shard crawl', 240_000);
      } finally {
        // The recorder's own failure must not replace the crawl's: an unread peak fails its test.
        peak = await recorder.stop().then(
          (recorded) => peakAlivePods(recorded.pods),
          (error: Error) => {
            console.error(`the cluster recorder did not stop cleanly: ${error.message}`);
            return Number.NaN;
          },
        );
      }
    }, 1_200_000);
    // The next crawl applies a new Job of the same name (a Job's template is immutable).
    afterAll(async () => {
      await deleteCrawlJob(cluster);
      await dropCrawlTable(cluster, table);
    }, 300_000);

    test('its one index completed and every record is in PostgreSQL exactly once', () => {
      expect({ completed: crawl.completedIndexes, failed: crawl.failedIndexes }).toEqual({
        completed: '0',
        failed: '',
      });
      expect(Object.fromEntries(crawl.rowsPerShard)).toEqual({
        0: { rows: site.pages * 10, distinctIds: site.pages * 10 },
      });
      expect(crawl.completedBy.get(0)?.summary).toMatchObject({
        shardIndex: 0,
        shardCount: 1,
        records: site.pages * 10,
        pagesOk: site.pages,
        pagesFailed: 0,
        exitCode: 0,
      });
    });

    test("KEDA took the pool 0 -> 4 for the Job's 4 sessions (one per node), then back to 0", () => {
      expect(peak).toBe(4);
    });
  });

  describe('a crawl in 4 Indexed Job shards through the shared Grid', () => {
    const SHARDS = 4;
    const table = `products_sharded_${Date.now()}`;
    let crawl: ShardedCrawl;
    beforeAll(async () => {
      crawl = await runShardedCrawl(cluster, {
        siteUrl: site.url,
        pages: site.pages,
        concurrency: 2,
        table,
        killIndex: 0,
      });
    }, 1_500_000);
    afterAll(() => dropCrawlTable(cluster, table), 120_000);

    test('every index completed, the one whose pod was deleted mid-run by a second pod', () => {
      expect({ completed: crawl.completedIndexes, failed: crawl.failedIndexes }).toEqual({
        completed: `0-${SHARDS - 1}`,
        failed: '',
      });
      expect(crawl.completedBy.get(0)?.pod).toBeDefined();
      expect(crawl.completedBy.get(0)?.pod).not.toBe(crawl.killedPod);
    });

    test('each record is in PostgreSQL exactly once, each shard holding its share of the listing pages', () => {
      // 20 listing pages of 10 products; shard i takes the pages at positions p % 4 == i: 5 each.
      const perShard = (site.pages / SHARDS) * 10;
      expect(Object.fromEntries(crawl.rowsPerShard)).toEqual(
        Object.fromEntries(
          Array.from({ length: SHARDS }, (_, i) => [i, { rows: perShard, distinctIds: perShard }]),
        ),
      );
      expect({ rows: crawl.totalRows, distinctIds: crawl.distinctIds }).toEqual({
        rows: site.pages * 10,
        distinctIds: site.pages * 10,
      });
    });

    test("each shard's summary (its pod's termination message) says what it loaded", () => {
      const perShard = (site.pages / SHARDS) * 10;
      for (let i = 0; i < SHARDS; i++)
        expect(crawl.completedBy.get(i)?.summary).toEqual({
          job: 'products',
          shardIndex: i,
          shardCount: SHARDS,
          records: perShard,
          pagesOk: site.pages / SHARDS,
          pagesFailed: 0,
          exitCode: 0,
        });
    });

    test('KEDA returns the pool to 0 after the crawl', async () => {
      await g.waitForEmptyPool('the pool back at 0 after the crawl', 240_000);
    }, 300_000);
  });
});
