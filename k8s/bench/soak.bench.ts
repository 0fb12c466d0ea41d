// Benchmark: the soak with faults of configuration E, grid-keda-push (issue 18, item 4).
// A fresh local cluster with real KEDA, grid-keda-push applied as the load bench applies it (CPU
// requests lowered to fit this machine, the shipped cooldown, the pool capped at LOAD_MAX_NODES,
// default 6), the pool at 0, then session-load's ci-day profile with platformName linux. Meanwhile
// a seeded schedule of faults: two busy node pods deleted (a normal, graceful delete: drain-hook's
// preStop must hold each until its session ends), KEDA's operator restarted, grid-exporter
// restarted, and chromium killed in one busy node pod (its session is the one loss allowed).
//
//   pnpm --filter @scrapegrid/k8s bench:soak          (ci-day, seed 42, scale 1: about 30 min)
//   SOAK_SCALE=0.25 SOAK_SEED=42 SOAK_OUT=bench-results/soak pnpm --filter @scrapegrid/k8s bench:soak
//
// Prints one table and the fault log, writes <SOAK_OUT>/results.json and replicas.svg. Exits 1 when
// a session was lost that no fault explains (or failed to start), a pod was stuck Terminating, the
// desired node count went to 0 while a session ran, or a fault could not be done; each says why.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterLayout, type LocalCluster } from '@scrapegrid/local-cluster';
import {
  type ClusterRecorder,
  type ClusterRecording,
  classifyLosses,
  computeClusterCost,
  findFlaps,
  findLingeringPods,
  LOAD_PROFILES,
  type LoadResults,
  planArrivals,
  planFaults,
  renderReplicasSvg,
  replicaSeries,
  runLoad,
  startClusterRecorder,
} from '@scrapegrid/session-load';
import { type FixtureSite, startFixtureSite, waitUntil } from '@scrapegrid/test-support';
import {
  applySharedGridUnderKeda,
  NODE_SELECTOR,
  NS,
  startClusterWithKeda,
} from '../test/keda/shared-grid-under-keda.ts';
import { formatSoakTable } from './soak/format-soak-table.ts';
import { type FaultInjector, type FaultRecord, startFaultInjector } from './soak/inject-faults.ts';
import { SOAK_FAULTS } from './soak/soak-faults.ts';
import { soakVerdict } from './soak/soak-verdict.ts';

const profile = LOAD_PROFILES['ci-day'] as NonNullable<(typeof LOAD_PROFILES)['ci-day']>;
const scale = Number(process.env.SOAK_SCALE ?? 1);
const seed = Number(process.env.SOAK_SEED ?? 42);
const maxNodes = Number(process.env.LOAD_MAX_NODES ?? 6);
// After the last session: the pool back at 0, every deleted pod gone (or this long at most).
const tailMs = Number(process.env.SOAK_TAIL_SECONDS ?? 300) * 1000;
const out = resolve(process.env.SOAK_OUT ?? 'bench-results/soak');

const plan = planArrivals(profile, { seed, scale });
const faults = planFaults(plan, SOAK_FAULTS, { seed });
console.log(
  `soak: grid-keda-push, profile ${profile.name}, seed ${seed}, scale ${scale}, ${plan.length} sessions; faults at ${faults
    .map((f) => `${(f.atMs / 1000).toFixed(0)} s ${f.kind}`)
    .join(', ')}`,
);

const reasons = await soak();
if (reasons.length > 0) {
  console.log(`\nFAILED (${reasons.length}):`);
  for (const reason of reasons) console.log(`  ${reason}`);
  process.exitCode = 1;
} else {
  console.log('\npassed: nothing lost that a fault does not explain, no pod stuck, no flap to 0');
}

// --- internal ---

async function soak(): Promise<string[]> {
  const cluster = await startClusterWithKeda();
  let site: FixtureSite | undefined;
  let recorder: ClusterRecorder | undefined;
  let injector: FaultInjector | undefined;
  try {
    // On the cluster's bridge, which exists once the cluster is up: the browser pods reach it there.
    site = await startFixtureSite({ host: clusterLayout.bridgeIp });
    const grid = await applySharedGridUnderKeda(cluster, 'grid-keda-push', {
      shippedCooldown: true,
      maxNodes,
    });
    await waitUntil(async () => (await grid.nodePods()).length === 0 && (await grid.replicas()) === 0, {
      what: 'grid-keda-push: KEDA to take the idle pool to 0',
      timeoutMs: 600_000,
      intervalMs: 2_000,
    });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(cluster.kubeconfig);
    recorder = await startClusterRecorder({
      kubeConfig,
      namespace: NS,
      selector: NODE_SELECTOR,
      deployment: 'selenium-node-chrome',
    });
    injector = startFaultInjector({ cluster, hubUrl: grid.hubUrl, faults, startedAt: Date.now(), seed });
    const results = await runLoad({
      hubUrl: grid.hubUrl,
      siteUrl: site.url,
      sitePages: site.pages,
      profile,
      seed,
      scale,
      thinkMs: 1_000,
      platformName: 'linux',
      maxRunMs: 3_600_000,
    });
    const faultLog = await injector.stop();
    // Until the pool is back at 0 and every deleted pod is gone, or the tail's end.
    const tailEnd = Date.now() + tailMs;
    await waitUntil(async () => (await grid.nodePods()).length === 0 || Date.now() >= tailEnd, {
      what: 'grid-keda-push: the pool back at 0 or the tail end',
      timeoutMs: tailMs + 120_000,
      intervalMs: 2_000,
    });
    const recording = await recorder.stop();
    recorder = undefined;
    const timelines = results.run.timelines;
    const cost = computeClusterCost(recording.pods, timelines, { endAt: recording.endedAt });
    const killed = new Set(faultLog.filter((f) => f.kind === 'kill-chrome').flatMap((f) => f.sessionIds));
    const losses = classifyLosses(timelines, killed);
    const flaps = findFlaps(recording.replicas, timelines);
    const lingering = findLingeringPods(recording.pods, timelines, { endAt: recording.endedAt });
    const preStopEvents = await failedPreStopHooks(cluster);
    const startedAt = results.run.startedAt;

    const judged: Judged = { cost, faults: faultLog, losses, flaps, lingering, preStopEvents };
    await writeSoakOutputs(results, recording, judged);
    printSoakReport(results, recording, judged);
    return soakVerdict({
      unexpectedLost: losses.unexpectedLost,
      pastGrace: cost.stuckTerminating,
      lingering,
      flaps,
      faults: faultLog,
      startedAt,
    }).concat(preStopEvents.map((e) => `FailedPreStopHook: ${e}`));
  } finally {
    // Every path: the injector's timers, the recorder's watch, the site and the cluster.
    await injector?.stop();
    await recorder?.stop();
    await site?.close();
    await cluster.stop();
  }
}

/** What the soak's judges found, beside the load's results. */
interface Judged {
  cost: ReturnType<typeof computeClusterCost>;
  faults: FaultRecord[];
  losses: ReturnType<typeof classifyLosses>;
  flaps: ReturnType<typeof findFlaps>;
  lingering: ReturnType<typeof findLingeringPods>;
  preStopEvents: string[];
}

/** results.json (the load, the recording and the judges' findings) and replicas.svg, in `out`. */
async function writeSoakOutputs(results: LoadResults, recording: ClusterRecording, j: Judged): Promise<void> {
  const startedAt = results.run.startedAt;
  await mkdir(out, { recursive: true });
  await writeFile(
    join(out, 'results.json'),
    JSON.stringify({
      ...results,
      cluster: recording,
      ...j,
    }),
  );
  await writeFile(
    join(out, 'replicas.svg'),
    renderReplicasSvg(
      [
        replicaSeries('desired', recording, { measure: 'spec', fromMs: startedAt }),
        replicaSeries('pods', recording, { measure: 'pods', fromMs: startedAt }),
      ],
      { title: `grid-keda-push soak, ${profile.name} seed ${seed} scale ${scale}` },
    ),
  );
}

/** The table and the fault log, on stdout. */
function printSoakReport(results: LoadResults, recording: ClusterRecording, j: Judged): void {
  const { cost, losses, flaps, lingering, preStopEvents } = j;
  const startedAt = results.run.startedAt;
  const timelines = results.run.timelines;
  console.log('');
  console.log(`soak of grid-keda-push: ${profile.name}, seed ${seed}, scale ${scale}; KEDA 2.21.0; one node`);
  console.log(
    formatSoakTable({
      requested: results.summary.requested,
      ok: losses.ok,
      lost: losses.lost,
      expectedLost: losses.expectedLost.length,
      unexpectedLost: losses.unexpectedLost.length,
      cut: losses.cut,
      waitP50Ms: results.summary.queueWait.p50Ms,
      waitP95Ms: results.summary.queueWait.p95Ms,
      waitMaxMs: results.summary.queueWait.maxMs,
      nodePodSeconds: cost.nodePodSeconds,
      idleShare: cost.idleShare,
      stuck: cost.stuckTerminating.length + lingering.length,
      failedPreStopHooks: preStopEvents.length,
      flapsToZero: flaps.length,
    }),
  );
  console.log('\nfaults (time from the run start; sessions on the target pod as the hub listed them):');
  for (const f of j.faults) console.log(`  ${describeFault(f, startedAt, timelines, recording.pods)}`);
  for (const event of preStopEvents) console.log(`  FailedPreStopHook: ${event}`);
  console.log(`\nwrote ${join(out, 'results.json')} and replicas.svg`);
}

async function failedPreStopHooks(cluster: LocalCluster): Promise<string[]> {
  const events = JSON.parse(
    await cluster.kubectl([
      '-n',
      NS,
      'get',
      'events',
      '--field-selector',
      'reason=FailedPreStopHook',
      '-o',
      'json',
    ]),
  ) as { items: { involvedObject: { name: string }; message?: string; count?: number }[] };
  return events.items.map((e) => `${e.involvedObject.name}: ${e.message ?? ''} (x${e.count ?? 1})`);
}

function describeFault(
  f: FaultRecord,
  startedAt: number,
  timelines: readonly { sessionId?: string; index: number; outcome: string }[],
  pods: readonly { createdAt: number }[],
): string {
  const when =
    f.at === undefined
      ? `planned ${(f.plannedAtMs / 1000).toFixed(0)} s`
      : `${((f.at - startedAt) / 1000).toFixed(0)} s`;
  const sessions = f.sessionIds.map((id) => {
    const t = timelines.find((s) => s.sessionId === id);
    return t ? `#${t.index} ${t.outcome}` : id;
  });
  const recovered =
    f.recoveredAt !== undefined && f.at !== undefined
      ? `, Ready again after ${((f.recoveredAt - f.at) / 1000).toFixed(0)} s`
      : '';
  // After a restart, scaling has resumed once a node pod is made again: the first one after it.
  const nextPod = f.kind.startsWith('restart-')
    ? pods.map((p) => p.createdAt).find((at) => f.at !== undefined && at > f.at)
    : undefined;
  const resumed =
    nextPod === undefined || f.at === undefined
      ? ''
      : `, next node pod made ${((nextPod - f.at) / 1000).toFixed(0)} s later`;
  return `${when}  ${f.kind}  ${f.done ? '' : 'NOT DONE  '}${f.target ?? '-'}  ${f.note}${recovered}${resumed}${sessions.length ? `  sessions: ${sessions.join(', ')}` : ''}`;
}
