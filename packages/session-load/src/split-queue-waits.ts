import { formatSeconds } from './format-seconds.ts';
import { isNodeOfPod } from './is-node-of-pod.ts';
import { percentile } from './percentile.ts';
import type { PodLifetime } from './pod-lifetime.ts';
import type { SessionTimeline } from './session-timeline.ts';

/** Undefined with no values. */
export interface P50P95 {
  readonly p50Ms: number | undefined;
  readonly p95Ms: number | undefined;
}

/** Where the started sessions' queue waits went. Times in ms. */
export interface QueueWaitSplit {
  /** Sessions placed on a pod that was there when they asked: the wait is the hub's. */
  readonly onWarmPod: number;
  /** Sessions placed on a pod made after they asked: the wait is the autoscaler's and the pod's. */
  readonly onNewPod: number;
  /** Of those, request → the pod's creation: the autoscaler's reaction (push, poll, HPA sync). */
  readonly scaling: P50P95;
  /** Of those, the pod's creation → the session: scheduling, containers, registration, placement. */
  readonly podStart: P50P95;
  /** Started sessions whose node no recorded pod was (no hub view, or a pod the recorder missed). */
  readonly unmatched: number;
}

/**
 * Splits each started session's queue wait at the creation of the pod it ran on. A pod's creation
 * is when the recorder's watch first saw it (firstSeenAt, milliseconds; the API's creationTimestamp
 * has whole seconds only).
 */
export function splitQueueWaits(
  timelines: readonly SessionTimeline[],
  pods: readonly PodLifetime[],
): QueueWaitSplit {
  const scaling: number[] = [];
  const podStart: number[] = [];
  let onWarmPod = 0;
  let unmatched = 0;
  for (const t of timelines) {
    if (t.createdAt === undefined) continue;
    const startedAt = t.createdAt;
    const pod = pods.find(
      (p) =>
        t.nodeUri !== undefined &&
        isNodeOfPod(t.nodeUri, p) &&
        p.firstSeenAt <= startedAt &&
        (p.goneAt === undefined || startedAt < p.goneAt),
    );
    if (!pod) unmatched++;
    else if (pod.firstSeenAt <= t.requestedAt) onWarmPod++;
    else {
      scaling.push(pod.firstSeenAt - t.requestedAt);
      podStart.push(startedAt - pod.firstSeenAt);
    }
  }
  return {
    onWarmPod,
    onNewPod: scaling.length,
    scaling: { p50Ms: percentile(scaling, 50), p95Ms: percentile(scaling, 95) },
    podStart: { p50Ms: percentile(podStart, 50), p95Ms: percentile(podStart, 95) },
    unmatched,
  };
}

/** One line for a bench: `E: 10 on a warm pod, 23 on a new one: scaling p50 6.9 s p95 14.7 s, pod start …`. */
export function formatQueueWaitSplit(name: string, split: QueueWaitSplit): string {
  const { scaling, podStart, unmatched } = split;
  return (
    `${name}: ${split.onWarmPod} on a warm pod, ${split.onNewPod} on a new one: ` +
    `scaling p50 ${formatSeconds(scaling.p50Ms)} p95 ${formatSeconds(scaling.p95Ms)}, ` +
    `pod start p50 ${formatSeconds(podStart.p50Ms)} p95 ${formatSeconds(podStart.p95Ms)}` +
    (unmatched ? `, ${unmatched} without a known pod` : '')
  );
}
