export { applyPodEvent, type PodEventType } from './apply-pod-event.ts';
export { assertInternalUrl } from './assert-internal-url.ts';
export { attachHubView } from './attach-hub-view.ts';
export { classifyLosses, type LossClassification } from './classify-losses.ts';
export { type CliCommand, type CliConfig, readCliConfig } from './cli-config.ts';
export {
  type ClusterCost,
  type ClusterCostOptions,
  computeClusterCost,
  type StuckPod,
} from './compute-cluster-cost.ts';
export { type Flap, findFlaps } from './find-flaps.ts';
export { findLingeringPods, type LingeringPod } from './find-lingering-pods.ts';
export { formatTable, type TableRow } from './format-table.ts';
export type { LoadPhase, LoadProfile, SecondsRange } from './load-profile.ts';
export { LOAD_PROFILES } from './load-profiles.ts';
export { markMissingGone } from './mark-missing-gone.ts';
export { mulberry32 } from './mulberry32.ts';
export { peakAlivePods } from './peak-alive-pods.ts';
export { percentile } from './percentile.ts';
export { type PlannedSession, type PlanOptions, planArrivals } from './plan-arrivals.ts';
export { type FaultSpec, type PlannedFault, planFaults } from './plan-faults.ts';
export type { PodLifetime, PodObject } from './pod-lifetime.ts';
export { type HubSession, readHubSessions } from './read-hub-sessions.ts';
export { type ReplicaSeries, type ReplicasSvgOptions, renderReplicasSvg } from './render-replicas-svg.ts';
export { type ReplicaMeasure, replicaSeries } from './replica-series.ts';
export { type LoadResults, type RunLoadOptions, runLoad } from './run-load.ts';
export { type LoadRun, type RunProfileOptions, runProfile } from './run-profile.ts';
export type { SessionFailure, SessionOutcome, SessionTimeline } from './session-timeline.ts';
export {
  formatQueueWaitSplit,
  type P50P95,
  type QueueWaitSplit,
  splitQueueWaits,
} from './split-queue-waits.ts';
export {
  type ClusterRecorder,
  type ClusterRecorderOptions,
  type ClusterRecording,
  type ReplicaSample,
  startClusterRecorder,
} from './start-cluster-recorder.ts';
export {
  type HubSessionRecord,
  type HubSessionSampler,
  type HubSessionSamplerOptions,
  type HubView,
  startHubSessionSampler,
} from './start-hub-session-sampler.ts';
export { type QueueWaitSummary, type RunSummary, summarizeRun } from './summarize-run.ts';
export {
  createWebDriverClient,
  type NewSession,
  type WebDriverClient,
  type WebDriverClientOptions,
} from './webdriver-client.ts';
export { WebDriverError, type WebDriverErrorCode } from './webdriver-error.ts';
