import type { ReplicaSeries } from './render-replicas-svg.ts';
import type { ClusterRecording } from './start-cluster-recorder.ts';

export type ReplicaMeasure =
  /** The Deployment's spec.replicas: what the autoscaler asked for. */
  | 'spec'
  /** The Deployment's status.replicas. */
  | 'status'
  /** Browser pods in the API (Terminating ones included), each second: the only measure for a ScaledJob or per-session pods. */
  | 'pods';

/** A recording as one series of the replicas chart, time from `fromMs` (the run's start). */
export function replicaSeries(
  name: string,
  recording: ClusterRecording,
  options: { readonly measure: ReplicaMeasure; readonly fromMs?: number; readonly stepMs?: number },
): ReplicaSeries {
  const from = options.fromMs ?? recording.startedAt;
  if (options.measure !== 'pods') {
    const field = options.measure;
    return { name, points: recording.replicas.map((s) => ({ tMs: s.at - from, replicas: s[field] })) };
  }
  const step = options.stepMs ?? 1_000;
  const points: { tMs: number; replicas: number }[] = [];
  for (let t = recording.startedAt; t <= recording.endedAt; t += step) {
    const alive = recording.pods.filter(
      (p) => p.createdAt <= t && (p.goneAt === undefined || p.goneAt > t),
    ).length;
    points.push({ tMs: t - from, replicas: alive });
  }
  return { name, points };
}
