import { isNodeOfPod } from './is-node-of-pod.ts';
import type { PodLifetime } from './pod-lifetime.ts';
import type { SessionTimeline } from './session-timeline.ts';

/** A pod asked to go that stayed on after it had nothing left to hold it. Epoch ms. */
export interface LingeringPod {
  readonly name: string;
  /** When it had nothing to wait for: its deletion asked, and its last session ended. */
  readonly freeAt: number;
  /** How long it stayed in the API after that (to its disappearance, or the end). */
  readonly lingeredMs: number;
  readonly stillPresent: boolean;
}

/**
 * Pods stuck Terminating in the way a long grace period hides: a node pod's grace is an hour
 * (the longest session), so "past its grace" never shows a preStop that forgets to return. Here a
 * pod whose deletion was asked is stuck when it is still in the API more than `slackMs` (default
 * 60 s) after both its deletion request and the end of its last session (tied by the node URI's
 * host = the pod's IP or name, within the pod's life).
 */
export function findLingeringPods(
  pods: readonly PodLifetime[],
  timelines: readonly SessionTimeline[],
  options: { readonly endAt: number; readonly slackMs?: number },
): LingeringPod[] {
  const slackMs = options.slackMs ?? 60_000;
  return pods.flatMap((pod) => {
    if (pod.deletionRequestedAt === undefined) return [];
    const end = pod.goneAt ?? options.endAt;
    const sessionEnds = timelines
      .filter(
        (t) =>
          t.createdAt !== undefined &&
          t.nodeUri !== undefined &&
          isNodeOfPod(t.nodeUri, pod) &&
          t.createdAt >= pod.createdAt &&
          t.createdAt < end,
      )
      .map((t) => t.endedAt);
    const freeAt = Math.max(pod.deletionRequestedAt, ...sessionEnds);
    const lingeredMs = end - freeAt;
    return lingeredMs > slackMs
      ? [{ name: pod.name, freeAt, lingeredMs, stillPresent: pod.goneAt === undefined }]
      : [];
  });
}
