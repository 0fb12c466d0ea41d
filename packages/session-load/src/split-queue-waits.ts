import { isNodeOfPod } from './is-node-of-pod.ts';
import { percentile } from './percentile.ts';
import type { PodLifetime } from './pod-lifetime.ts';
import type { SessionTimeline } from './session-timeline.ts';

/** Where the started sessions' queue waits went. Times in ms. */
export interface QueueWaitSplit {
  /** Sessions placed on a pod that was there when they asked: the wait is the hub's. */
  readonly onWarmPod: number;
  /** Sessions placed on a pod made after they asked: the wait is the autoscaler's and the pod's. */
  readonly onNewPod: number;
  /** Of those, request → the pod's creation: the autoscaler's reaction (push, poll, HPA sync). */
  readonly scaling: { readonly p50Ms?: number; readonly p95Ms?: number };
  /** Of those, the pod's creation → the session: scheduling, containers, registration, placement. */
  readonly podStart: { readonly p50Ms?: number; readonly p95Ms?: number };
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
    scaling: _p50p95(scaling),
    podStart: _p50p95(podStart),
    unmatched,
  };
}

// --- internal ---

function _p50p95(values: readonly number[]): { p50Ms?: number; p95Ms?: number } {
  const p50Ms = percentile(values, 50);
  const p95Ms = percentile(values, 95);
  return { ...(p50Ms === undefined ? {} : { p50Ms }), ...(p95Ms === undefined ? {} : { p95Ms }) };
}
