import { isNodeOfPod } from './is-node-of-pod.ts';
import type { PodLifetime } from './pod-lifetime.ts';
import type { SessionTimeline } from './session-timeline.ts';

export interface StuckPod {
  readonly name: string;
  /** How long past its grace period it was still in the API (to its disappearance or the end). */
  readonly pastGraceMs: number;
  /** Still there when the recording ended. */
  readonly stillPresent: boolean;
}

export interface ClusterCost {
  readonly pods: number;
  /** The cost: the sum of every browser pod's life, creation to disappearance (or the end). */
  readonly nodePodSeconds: number;
  /** Of it, the seconds a pod held at least one of the run's sessions. */
  readonly busyPodSeconds: number;
  /** 1 - busy / all; undefined with no pod-seconds. */
  readonly idleShare: number | undefined;
  /** Of it, the seconds pods spent Terminating (deletion asked → gone). */
  readonly terminatingPodSeconds: number;
  readonly stuckTerminating: readonly StuckPod[];
  /** Sessions that got a browser but whose node the hub view never named: their time counts as idle. */
  readonly sessionsWithoutNode: number;
}

export interface ClusterCostOptions {
  /** When the recording ended: pods still there count up to it. */
  readonly endAt: number;
  /**
   * A pod is stuck when it is still in the API this long after its grace period ended (default
   * 5 s: the kubelet kills at the deadline and the API object goes a moment later).
   */
  readonly stuckSlackMs?: number;
}

/**
 * Node-pod-seconds and how much of them carried a session. A session is tied to its pod by its
 * node's URI: the host is the pod's IP (or its name), and only within the pod's life (an IP can
 * be given to a later pod).
 */
export function computeClusterCost(
  pods: readonly PodLifetime[],
  timelines: readonly SessionTimeline[],
  options: ClusterCostOptions,
): ClusterCost {
  const slackMs = options.stuckSlackMs ?? 5_000;
  let lifeMs = 0;
  let busyMs = 0;
  let terminatingMs = 0;
  const stuck: StuckPod[] = [];
  const withBrowser = timelines.filter((t) => t.createdAt !== undefined);
  for (const pod of pods) {
    const end = pod.goneAt ?? options.endAt;
    lifeMs += Math.max(0, end - pod.createdAt);
    if (pod.deletionRequestedAt !== undefined) terminatingMs += Math.max(0, end - pod.deletionRequestedAt);
    if (pod.deletionDeadline !== undefined && end - pod.deletionDeadline > slackMs) {
      stuck.push({
        name: pod.name,
        pastGraceMs: end - pod.deletionDeadline,
        stillPresent: pod.goneAt === undefined,
      });
    }
    const intervals = withBrowser
      .filter((t) => t.nodeUri !== undefined && isNodeOfPod(t.nodeUri, pod))
      .map((t) => [Math.max(pod.createdAt, t.createdAt as number), Math.min(end, t.endedAt)] as const)
      .filter(([from, to]) => to > from);
    busyMs += _unionLength(intervals);
  }
  return {
    pods: pods.length,
    nodePodSeconds: lifeMs / 1000,
    busyPodSeconds: busyMs / 1000,
    idleShare: lifeMs === 0 ? undefined : 1 - busyMs / lifeMs,
    terminatingPodSeconds: terminatingMs / 1000,
    stuckTerminating: stuck,
    sessionsWithoutNode: withBrowser.filter((t) => t.nodeUri === undefined).length,
  };
}

// --- internal ---

function _unionLength(intervals: readonly (readonly [number, number])[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const [a, b] of sorted) {
    if (a > to) {
      if (to > from) total += to - from;
      [from, to] = [a, b];
    } else if (b > to) {
      to = b;
    }
  }
  if (to > from) total += to - from;
  return total;
}
