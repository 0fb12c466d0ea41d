import type { PodLifetime } from './pod-lifetime.ts';

/**
 * After a relist (the watch was broken or expired): every pod still open that the list no longer
 * has is gone, seen at `at` (later than it really went: the gap is the watch's outage).
 */
export function markMissingGone(
  pods: Map<string, PodLifetime>,
  listed: ReadonlySet<string>,
  at: number,
): void {
  for (const [uid, pod] of pods) {
    if (pod.goneAt === undefined && !listed.has(uid)) pods.set(uid, { ...pod, goneAt: at });
  }
}
