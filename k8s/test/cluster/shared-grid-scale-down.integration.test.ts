import { waitUntil } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ScaleDownScene, scaleDownScene } from './scale-down-scene.ts';
import type { W3cSession } from './w3c-session.ts';

/**
 * Issue 11, proof 3: the shared Grid (grid-keda-exporter, its ScaledObjects left out so the test
 * drives the Deployment itself) with 4 real node pods registered to the real hub, 2 of them
 * running a session. Scaling the Deployment down with grid-exporter's pod-deletion-cost controller
 * on, the real ReplicaSet controller picks the 2 idle pods and both sessions keep answering; scaled
 * to 1, the busy pod it must pick stays Terminating, held by drain-hook (the kubelet runs it as the
 * pod's preStop), for as long as its session runs, and goes once the session ends: no session lost.
 * That last step is also what proves drain-hook alone holds a busy pod. How many busy pods the
 * ReplicaSet picks without the controller (the baseline) is a measurement, not a guard: it is in
 * bench/scale-down-pick.bench.ts (`bench:scale-down`), on this same scene (scale-down-scene.ts).
 */
describe('scale-down of the shared Grid on a real node never kills a session', () => {
  let scene: ScaleDownScene;

  beforeAll(async () => {
    scene = await scaleDownScene();
  }, 3_600_000);

  afterAll(async () => {
    await scene?.stop();
  }, 300_000);

  test('with the deletion-cost controller: the idle pods go, every session survives; a busy pod going last waits for its session', async () => {
    const { nodes: NODES, sessionCount: SESSIONS, sessions } = scene;
    const { hubUrl, pods, podOf, busy } = await scene.deploy(true);
    expect(pods).toHaveLength(NODES);
    expect(busy, 'one session per node pod (SE_NODE_MAX_SESSIONS=1)').toHaveLength(SESSIONS);
    // grid-exporter annotates: busy pods 1000, idle ones -1000.
    await waitUntil(
      async () => (await scene.pods()).every((p) => p.cost === (busy.includes(p.name) ? '1000' : '-1000')),
      {
        what: 'grid-exporter to annotate the busy and idle node pods',
        timeoutMs: 120_000,
        intervalMs: 1_000,
      },
    );
    const picked = await scene.scaleTo(NODES - SESSIONS, pods);
    expect(picked).toEqual(
      pods
        .filter((p) => !busy.includes(p.name))
        .map((p) => p.name)
        .sort(),
    );
    for (const session of sessions) expect(await scene.answers(hubUrl, session)).toBe(200);

    // Down to 1: a busy pod has to go; drain-hook holds it until its session ends.
    await waitUntil(async () => (await scene.pods()).length === SESSIONS, {
      what: 'the idle pods to be gone',
      timeoutMs: 120_000,
    });
    const [leaving] = await scene.scaleTo(1, await scene.pods());
    const session = sessions.find((s) => podOf.get(s.id) === leaving) as W3cSession;
    const other = sessions.find((s) => s !== session) as W3cSession;
    const held = await scene.heldUntilSessionEnds(hubUrl, leaving as string, session);
    expect(held.terminating, `${leaving} is Terminating, held by drain-hook`).toBe(true);
    expect(held.status, 'its session still answers').toBe(200);
    console.log(
      `with the controller: the busy pod went ${held.seconds.toFixed(1)} s after its session ended`,
    );
    expect(await scene.answers(hubUrl, other), 'the session on the pod that stays still answers').toBe(200);
    await scene.tearDown();
  }, 1_800_000);
});
