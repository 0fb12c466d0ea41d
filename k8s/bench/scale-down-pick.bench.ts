// Benchmark: which node pods the ReplicaSet picks when the shared Grid scales down, with
// grid-exporter's pod-deletion-cost controller and without it (the baseline), on the scene of
// test/cluster/shared-grid-scale-down (scale-down-scene.ts: grid-keda-exporter, 4 real node pods
// registered to the real hub, 2 running a session), one local cluster, SCALE_DOWN_RUNS (default 3)
// runs each way, alternated. Each run deploys the Grid from scratch and scales 4 -> 2:
// - with the controller, as the test does: the busy pods picked (0 expected), then down to 1, the
//   busy pod that has to go held by drain-hook until its session ends;
// - without it: the busy pods the ReplicaSet's own ranking picks, each held until its session ends.
// Prints, per run and way, busy pods picked of 2 and seconds from a busy pod's session end to the
// pod's going. Exits 1 if any session was lost (stopped answering before it was ended).
//
//   sudo pnpm --filter @scrapegrid/k8s bench:scale-down
//   sudo SCALE_DOWN_RUNS=5 pnpm --filter @scrapegrid/k8s bench:scale-down
import { waitUntil } from '@scrapegrid/test-support';
import { type ScaleDownScene, scaleDownScene } from '../test/cluster/scale-down-scene.ts';
import type { W3cSession } from '../test/cluster/w3c-session.ts';

const RUNS = Number(process.env.SCALE_DOWN_RUNS ?? 3);
const WAYS = ['controller', 'baseline'] as const;
type Way = (typeof WAYS)[number];
const LABEL: Record<Way, string> = { controller: 'with the controller', baseline: 'without (baseline)' };

interface Run {
  run: number;
  way: Way;
  /** Busy pods among the pods picked scaling 4 -> 2. */
  busyPicked: number;
  /** Seconds from a busy pod's session end to the pod's going, each busy pod that went. */
  seconds: number[];
  /** Sessions that stopped answering before they were ended. */
  lost: number;
}

const runs: Run[] = [];
const scene = await scaleDownScene();
try {
  for (let run = 1; run <= RUNS; run++)
    for (const way of WAYS) {
      const result = await once(scene, run, way);
      runs.push(result);
      console.log(
        `run ${run}/${RUNS} ${LABEL[way]}: ${result.busyPicked} busy of ${scene.sessionCount} picked, ` +
          `${result.seconds.map((s) => `${s.toFixed(1)} s`).join(', ') || 'no busy pod went'}, ${result.lost} lost`,
      );
    }
} finally {
  // Every path: the sessions and the cluster.
  await scene.stop();
}

console.log(
  `\nscaling ${scene.nodes} -> ${scene.nodes - scene.sessionCount} node pods with ${scene.sessionCount} sessions, ${RUNS} run(s) each way:`,
);
console.log('run  way                  busy picked  busy pod gone after its session end  sessions lost');
for (const r of runs)
  console.log(
    `${String(r.run).padEnd(3)}  ${LABEL[r.way].padEnd(19)}  ${`${r.busyPicked} of ${scene.sessionCount}`.padEnd(11)}  ` +
      `${(r.seconds.map((s) => `${s.toFixed(1)} s`).join(', ') || '-').padEnd(35)}  ${r.lost}`,
  );
for (const way of WAYS) {
  const mine = runs.filter((r) => r.way === way);
  const seconds = mine.flatMap((r) => r.seconds);
  console.log(
    `${LABEL[way]}: busy picked ${mine.map((r) => r.busyPicked).join(', ')} (of ${scene.sessionCount}); ` +
      `session end -> pod gone ${seconds.length ? `${Math.min(...seconds).toFixed(1)}-${Math.max(...seconds).toFixed(1)} s` : '-'}`,
  );
}
const lost = runs.reduce((sum, r) => sum + r.lost, 0);
if (lost > 0) {
  console.log(`FAILED: ${lost} session(s) lost`);
  process.exitCode = 1;
}

// --- internal ---

/** One run of the scene one way, torn down after. */
async function once(scene: ScaleDownScene, run: number, way: Way): Promise<Run> {
  const { hubUrl, pods, podOf, busy } = await scene.deploy(way === 'controller');
  const { nodes, sessionCount, sessions } = scene;
  if (pods.length !== nodes || busy.length !== sessionCount)
    throw new Error(
      `run ${run} ${way}: ${pods.length} pods, ${busy.length} busy; wanted ${nodes} and ${sessionCount}`,
    );
  const answering = async (session: W3cSession) =>
    (await scene.answers(hubUrl, session).catch(() => 0)) === 200;
  const sessionOn = (pod: string) => sessions.find((s) => podOf.get(s.id) === pod);
  if (way === 'controller')
    // grid-exporter annotates: busy pods 1000, idle ones -1000; before that the pick is the baseline's.
    await waitUntil(
      async () => (await scene.pods()).every((p) => p.cost === (busy.includes(p.name) ? '1000' : '-1000')),
      {
        what: 'grid-exporter to annotate the busy and idle node pods',
        timeoutMs: 120_000,
        intervalMs: 1_000,
      },
    );
  else if ((await scene.pods()).some((p) => p.cost !== undefined))
    throw new Error(`run ${run} baseline: a node pod has a deletion cost without the controller`);

  const picked = await scene.scaleTo(nodes - sessionCount, pods);
  const pickedBusy = picked.filter((p) => busy.includes(p));
  let lost = 0;
  const held = await Promise.all(
    pickedBusy.map((pod) => scene.heldUntilSessionEnds(hubUrl, pod, sessionOn(pod) as W3cSession)),
  );
  lost += held.filter((h) => h.status !== 200).length;
  const staying = sessions.filter((s) => !pickedBusy.includes(podOf.get(s.id) ?? ''));
  for (const session of staying) if (!(await answering(session))) lost++;
  const seconds = held.map((h) => h.seconds);

  if (way === 'controller' && pickedBusy.length === 0) {
    // Down to 1, as the test: a busy pod has to go; drain-hook holds it until its session ends.
    await waitUntil(async () => (await scene.pods()).length === sessionCount, {
      what: 'the idle pods to be gone',
      timeoutMs: 120_000,
    });
    const [leaving] = (await scene.scaleTo(1, await scene.pods())) as [string];
    const session = sessionOn(leaving);
    if (!session)
      throw new Error(`run ${run} controller: scaled to 1, it picked ${leaving}, which runs no session`);
    const last = await scene.heldUntilSessionEnds(hubUrl, leaving, session);
    if (last.status !== 200) lost++;
    seconds.push(last.seconds);
    for (const other of sessions.filter((s) => s !== session)) if (!(await answering(other))) lost++;
  }
  await scene.tearDown();
  return { run, way, busyPicked: pickedBusy.length, seconds, lost };
}
