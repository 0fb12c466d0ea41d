import { describe, expect, test } from 'vitest';
import { applyPodEvent } from './apply-pod-event.ts';
import { computeClusterCost } from './compute-cluster-cost.ts';
import { markMissingGone } from './mark-missing-gone.ts';
import type { PodLifetime } from './pod-lifetime.ts';
import type { SessionTimeline } from './session-timeline.ts';

const T0 = Date.parse('2026-12-05T10:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

function session(index: number, nodeUri: string | undefined, fromS: number, toS: number): SessionTimeline {
  return {
    index,
    phase: 0,
    plannedAtMs: 0,
    plannedDurationMs: 0,
    requestedAt: T0 + fromS * 1000,
    createdAt: T0 + fromS * 1000,
    queueWaitMs: 0,
    endedAt: T0 + toS * 1000,
    outcome: 'ok',
    sessionId: `s${index}`,
    pages: 1,
    ...(nodeUri === undefined ? {} : { nodeUri }),
  };
}

describe('pod events → node-pod-seconds', () => {
  // Pod a: created 0 s, ready 5 s, IP 10.0.0.1, deletion asked at 100 s with 30 s grace, gone at 110 s.
  // Pod b: created 20 s, IP 10.0.0.2, deletion asked at 150 s with 30 s grace, gone at 200 s (20 s past grace).
  // Pod c: created 50 s, never deleted: counts to the end (300 s).
  // Pod d: created 250 s, vanished while the watch was down; the relist at 260 s finds it gone.
  const events: [string, Parameters<typeof applyPodEvent>[2], number][] = [
    ['ADDED', { metadata: { name: 'a', uid: 'ua', creationTimestamp: iso(0) } }, 1],
    [
      'MODIFIED',
      {
        metadata: { name: 'a', uid: 'ua', creationTimestamp: iso(0) },
        status: {
          podIP: '10.0.0.1',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(5) }],
        },
      },
      5,
    ],
    [
      'ADDED',
      {
        metadata: { name: 'b', uid: 'ub', creationTimestamp: new Date(T0 + 20_000) },
        status: { podIP: '10.0.0.2' },
      },
      21,
    ],
    [
      'ADDED',
      { metadata: { name: 'c', uid: 'uc', creationTimestamp: iso(50) }, status: { podIP: '10.0.0.3' } },
      51,
    ],
    [
      'MODIFIED',
      {
        metadata: {
          name: 'a',
          uid: 'ua',
          creationTimestamp: iso(0),
          deletionTimestamp: iso(130),
          deletionGracePeriodSeconds: 30,
        },
      },
      100,
    ],
    [
      'DELETED',
      { metadata: { name: 'a', uid: 'ua', creationTimestamp: iso(0), deletionTimestamp: iso(130) } },
      110,
    ],
    [
      'MODIFIED',
      {
        metadata: {
          name: 'b',
          uid: 'ub',
          creationTimestamp: iso(20),
          deletionTimestamp: iso(180),
          deletionGracePeriodSeconds: 30,
        },
      },
      150,
    ],
    ['DELETED', { metadata: { name: 'b', uid: 'ub' } }, 200],
    ['ADDED', { metadata: { name: 'd', uid: 'ud', creationTimestamp: iso(250) } }, 250],
  ];

  function record(): PodLifetime[] {
    const pods = new Map<string, PodLifetime>();
    for (const [type, pod, atS] of events) applyPodEvent(pods, type as 'ADDED', pod, T0 + atS * 1000);
    markMissingGone(pods, new Set(['uc']), T0 + 260_000);
    return [...pods.values()];
  }

  test('lifetimes from the events', () => {
    expect(record()).toEqual([
      {
        name: 'a',
        uid: 'ua',
        ip: '10.0.0.1',
        createdAt: T0,
        firstSeenAt: T0 + 1_000,
        readyAt: T0 + 5_000,
        deletionDeadline: T0 + 130_000,
        graceSeconds: 30,
        deletionRequestedAt: T0 + 100_000,
        goneAt: T0 + 110_000,
      },
      {
        name: 'b',
        uid: 'ub',
        ip: '10.0.0.2',
        createdAt: T0 + 20_000,
        firstSeenAt: T0 + 21_000,
        deletionDeadline: T0 + 180_000,
        graceSeconds: 30,
        deletionRequestedAt: T0 + 150_000,
        goneAt: T0 + 200_000,
      },
      { name: 'c', uid: 'uc', ip: '10.0.0.3', createdAt: T0 + 50_000, firstSeenAt: T0 + 51_000 },
      { name: 'd', uid: 'ud', createdAt: T0 + 250_000, firstSeenAt: T0 + 250_000, goneAt: T0 + 260_000 },
    ]);
  });

  test('node-pod-seconds, busy share, Terminating time, stuck pods', () => {
    const sessions = [
      session(0, 'http://10.0.0.1:5555', 10, 40),
      session(1, 'http://10.0.0.1:5555', 30, 60), // overlaps the first: the union is 10..60 = 50 s
      session(2, 'http://10.0.0.2:5555', 190, 250), // runs past pod b's end: clipped to 190..200
      session(3, 'http://c:5555', 100, 120), // by pod name
      session(4, undefined, 0, 10), // node unknown
      session(5, 'http://10.0.0.9:5555', 0, 10), // no such pod
    ];
    const cost = computeClusterCost(record(), sessions, { endAt: T0 + 300_000 });
    // a 110 + b 180 + c 250 + d 10 = 550 s; busy 50 + 10 + 20 = 80 s.
    expect(cost).toEqual({
      pods: 4,
      nodePodSeconds: 550,
      busyPodSeconds: 80,
      idleShare: 1 - 80 / 550,
      terminatingPodSeconds: 10 + 50,
      stuckTerminating: [{ name: 'b', pastGraceMs: 20_000, stillPresent: false }],
      sessionsWithoutNode: 1,
    });
  });

  test('a pod still Terminating at the end past its grace is stuck and still present', () => {
    const pods: PodLifetime[] = [
      {
        name: 'x',
        uid: 'ux',
        createdAt: T0,
        firstSeenAt: T0,
        deletionRequestedAt: T0 + 10_000,
        deletionDeadline: T0 + 40_000,
        graceSeconds: 30,
      },
    ];
    expect(computeClusterCost(pods, [], { endAt: T0 + 60_000 }).stuckTerminating).toEqual([
      { name: 'x', pastGraceMs: 20_000, stillPresent: true },
    ]);
    expect(computeClusterCost(pods, [], { endAt: T0 + 44_000 }).stuckTerminating).toEqual([]);
  });

  test('no pods: no idle share', () => {
    expect(computeClusterCost([], [], { endAt: T0 }).idleShare).toBeUndefined();
  });
});
