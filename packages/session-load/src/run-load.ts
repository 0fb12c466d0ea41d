import { attachHubView } from './attach-hub-view.ts';
import { type ClusterCost, computeClusterCost } from './compute-cluster-cost.ts';
import type { LoadProfile } from './load-profile.ts';
import { type PlannedSession, planArrivals } from './plan-arrivals.ts';
import { type LoadRun, type RunProfileOptions, runProfile } from './run-profile.ts';
import {
  type ClusterRecorder,
  type ClusterRecorderOptions,
  type ClusterRecording,
  startClusterRecorder,
} from './start-cluster-recorder.ts';
import { type HubView, startHubSessionSampler } from './start-hub-session-sampler.ts';
import { type RunSummary, summarizeRun } from './summarize-run.ts';

export interface RunLoadOptions extends Omit<RunProfileOptions, 'plan'> {
  readonly profile: LoadProfile;
  readonly seed: number;
  readonly scale?: number;
  /** The hub's registration secret, for its /status (empty when it has none). */
  readonly registrationSecret?: string;
  /** Record the browser pods and the Deployment while the load runs. */
  readonly cluster?: Omit<ClusterRecorderOptions, 'now'>;
}

/** Everything one run produced: what the results file holds. */
export interface LoadResults {
  readonly profile: string;
  readonly seed: number;
  readonly scale: number;
  readonly capabilities: Record<string, unknown>;
  readonly plan: readonly PlannedSession[];
  readonly summary: RunSummary;
  /** The timelines carry the node each session was on (from the hub view). */
  readonly run: LoadRun;
  readonly hub: HubView;
  readonly cluster?: ClusterRecording;
  readonly cost?: ClusterCost;
}

/**
 * One bench run: start the cluster recorder (if asked) and the hub sampler, run the seeded plan,
 * stop both, join them: timelines with their nodes, pods, replicas, the summary and the cost.
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResults> {
  const scale = options.scale ?? 1;
  const plan = planArrivals(options.profile, { seed: options.seed, scale });
  const capabilities = {
    ...(options.capabilities ?? { browserName: 'chrome' }),
    ...(options.platformName === undefined ? {} : { platformName: options.platformName }),
  };
  let recorder: ClusterRecorder | undefined;
  if (options.cluster) {
    recorder = await startClusterRecorder({
      ...options.cluster,
      ...(options.now ? { now: options.now } : {}),
    });
  }
  const sampler = startHubSessionSampler({
    hubUrl: options.hubUrl,
    registrationSecret: options.registrationSecret ?? '',
    ...(options.now ? { now: options.now } : {}),
  });
  const { platformName: _inCapabilities, ...runOptions } = options;
  let run: LoadRun | undefined;
  let failure: unknown;
  try {
    run = await runProfile({ ...runOptions, capabilities, plan });
  } catch (error) {
    failure = error;
  }
  // Stopped on every path: the sampler's timer and the recorder's watch would keep a bench alive.
  const hub = await sampler.stop();
  const cluster = await recorder?.stop();
  if (run === undefined) throw failure;
  const timelines = attachHubView(run.timelines, hub);
  const joined = { ...run, timelines };
  return {
    profile: options.profile.name,
    seed: options.seed,
    scale,
    capabilities,
    plan,
    summary: summarizeRun(joined),
    run: joined,
    hub,
    ...(cluster
      ? { cluster, cost: computeClusterCost(cluster.pods, timelines, { endAt: cluster.endedAt }) }
      : {}),
  };
}
