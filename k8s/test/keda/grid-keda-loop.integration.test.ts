import type { LocalCluster } from '@scrapegrid/local-cluster';
import { waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gridNodes, nodeHostOf } from '../cluster/grid-nodes.ts';
import { hubFetch } from '../cluster/hub-fetch.ts';
import { startW3cSession, type W3cSession } from '../cluster/w3c-session.ts';
import { applySharedGridUnderKeda, NS, startClusterWithKeda } from './shared-grid-under-keda.ts';

/**
 * grid-keda (KEDA's own selenium-grid trigger) scaling real node pods under real KEDA: a queued
 * request activates the pool; once the session runs, KEDA no longer counts it (the stand-in node,
 * like the real image, advertises its browserVersion and the trigger names none: case d of
 * ../shared/docs/autoscaling.md) and scales the busy pod away; drain-hook, its preStop, holds the
 * pod until the session ends, so the session is not lost.
 */
// What Selenium's Python and Java clients send by default: no platformName (the second trigger of its pool (components/keda-selenium-grid) counts it).
const CHROME = { browserName: 'chrome' };
/** How long the busy pod KEDA scaled away is watched staying, held by drain-hook. */
const HOLD_MS = 15_000;

describe("grid-keda: KEDA's own trigger with real node pods", () => {
  let cluster: LocalCluster;
  const sessions: W3cSession[] = [];

  beforeAll(async () => {
    cluster = await startClusterWithKeda();
  }, 3_600_000);

  afterAll(async () => {
    await Promise.allSettled(sessions.map((s) => s.quit()));
    await cluster?.stop();
  }, 300_000);

  test("grid-keda: the hub refuses a session without the router's credentials (401); KEDA's own trigger activates the pool, then scales the busy pod away (case d); drain-hook holds it until its session ends", async () => {
    const g = await applySharedGridUnderKeda(cluster, 'grid-keda', { shippedReplicas: true });
    // The router's basic auth holds: without the Secret's credentials a new session is refused
    // (what any pod of the cluster would get); the probes' /readyz stays open. KEDA's trigger
    // (TriggerAuthentication) and drain-hook (preStop) authenticate below, or nothing would scale
    // and the busy pod would not be held.
    const anonymous = new URL(g.hubUrl);
    anonymous.username = '';
    anonymous.password = '';
    const refused = await fetch(new URL('/session', anonymous), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ capabilities: { alwaysMatch: CHROME } }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(refused.status, 'a new session without credentials').toBe(401);
    expect((await fetch(new URL('/readyz', anonymous), { signal: AbortSignal.timeout(10_000) })).status).toBe(
      200,
    );
    await g.waitForEmptyPool('KEDA to hold the idle pool at 0', 300_000);
    // A queued request: KEDA activates the Deployment; the new pod registers and takes it.
    const starting = startW3cSession(g.hubUrl, CHROME, 420_000);
    starting.then(
      (s) => {
        sessions.push(s);
      },
      () => {},
    );
    await waitUntil(async () => (await g.replicas()) === 1, {
      what: 'KEDA to set spec.replicas to 1',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });
    const session = await starting;
    const started = Date.now();
    const grid = await gridNodes(g.hubUrl);
    expect(grid.queue).toBe(0);
    const [pod] = await g.nodePods();
    expect(pod?.ip).toBe(nodeHostOf(grid, session.id));

    // The session runs, the queue is empty: KEDA counts 0 and, after the cooldown, scales to 0.
    await waitUntil(async () => (await g.replicas()) === 0, {
      what: 'KEDA to scale the busy pool to 0',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });
    const scaledAwayAfter = (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    const held = await g.nodePods();
    expect(held.map((p) => [p.name, p.deleting])).toEqual([[pod?.name, true]]);
    const alive = await hubFetch(`${g.hubUrl}/session/${session.id}/url`, {
      signal: AbortSignal.timeout(30_000),
    });
    expect(alive.status, 'the session on the pod KEDA scaled away still answers').toBe(200);

    const ended = Date.now();
    await session.quit();
    await waitUntil(async () => (await g.nodePods()).length === 0, {
      what: 'the held pod to go once its session ended',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    console.log(
      `grid-keda: KEDA scaled the busy pod away ${scaledAwayAfter.toFixed(1)} s into its session; ` +
        `drain-hook held it until the session ended, then it went in ${((Date.now() - ended) / 1000).toFixed(1)} s`,
    );
    const events = await cluster.kubectl(['-n', NS, 'get', 'events', '-o', 'json']);
    expect(events).not.toContain('FailedPreStopHook');
    await g.remove();
  }, 1_200_000);
});
