import type { PodLifetime, PodObject } from './pod-lifetime.ts';

export type PodEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * Folds one watch event (or one pod of a list, as ADDED) into the lifetimes, keyed by uid: a pod
 * recreated under the same name is another pod. `at` is the recorder's clock when it saw the event.
 * Returns the map it was given.
 */
export function applyPodEvent(
  pods: Map<string, PodLifetime>,
  type: PodEventType,
  pod: PodObject,
  at: number,
): Map<string, PodLifetime> {
  const uid = pod.metadata?.uid;
  const name = pod.metadata?.name;
  if (!uid || !name) return pods;
  const before = pods.get(uid);
  const createdAt = _ms(pod.metadata?.creationTimestamp) ?? before?.createdAt ?? at;
  const ip = pod.status?.podIP || before?.ip;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  const readyAt = before?.readyAt ?? _ms(ready?.lastTransitionTime);
  const deadline = _ms(pod.metadata?.deletionTimestamp);
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  const next: PodLifetime = {
    ...before,
    name,
    uid,
    createdAt,
    firstSeenAt: before?.firstSeenAt ?? at,
    ...(ip ? { ip } : {}),
    ...(readyAt === undefined ? {} : { readyAt }),
    ...(deadline === undefined
      ? {}
      : {
          deletionDeadline: deadline,
          ...(grace === undefined
            ? {}
            : {
                graceSeconds: grace,
                // The first request: the kubelet's own delete once the containers have stopped
                // (grace 0) moves the deadline, not the moment the deletion was asked for.
                deletionRequestedAt: Math.min(
                  before?.deletionRequestedAt ?? Infinity,
                  deadline - grace * 1000,
                ),
              }),
        }),
    ...(type === 'DELETED' ? { goneAt: before?.goneAt ?? at } : {}),
  };
  pods.set(uid, next);
  return pods;
}

// --- internal ---

function _ms(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
