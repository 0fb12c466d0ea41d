import { describe, expect, test } from 'vitest';
import { applyPodEvent } from './apply-pod-event.ts';
import type { PodLifetime } from './pod-lifetime.ts';

const T0 = Date.parse('2026-12-06T05:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function pod(deletion?: { at: number; graceSeconds: number }) {
  return {
    metadata: {
      name: 'node-a',
      uid: 'u1',
      creationTimestamp: iso(T0),
      ...(deletion
        ? {
            deletionTimestamp: iso(deletion.at + deletion.graceSeconds * 1000),
            deletionGracePeriodSeconds: deletion.graceSeconds,
          }
        : {}),
    },
    status: { podIP: '10.0.0.1' },
  };
}

describe('applyPodEvent', () => {
  test("a graceful delete keeps its request time when the kubelet's final delete (grace 0) follows", () => {
    const pods = new Map<string, PodLifetime>();
    applyPodEvent(pods, 'ADDED', pod(), T0 + 1_000);
    // Deleted at +42 s with an hour of grace; the preStop holds it until its session ends at +61 s,
    // then the kubelet deletes it with grace 0.
    applyPodEvent(pods, 'MODIFIED', pod({ at: T0 + 42_000, graceSeconds: 3600 }), T0 + 42_100);
    applyPodEvent(pods, 'MODIFIED', pod({ at: T0 + 61_000, graceSeconds: 0 }), T0 + 61_100);
    applyPodEvent(pods, 'DELETED', pod({ at: T0 + 61_000, graceSeconds: 0 }), T0 + 61_200);
    expect(pods.get('u1')).toEqual({
      name: 'node-a',
      uid: 'u1',
      ip: '10.0.0.1',
      createdAt: T0,
      firstSeenAt: T0 + 1_000,
      deletionRequestedAt: T0 + 42_000,
      deletionDeadline: T0 + 61_000,
      graceSeconds: 0,
      goneAt: T0 + 61_200,
    });
  });
});
