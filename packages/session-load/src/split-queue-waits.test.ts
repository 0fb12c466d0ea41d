import { describe, expect, test } from 'vitest';
import type { PodLifetime } from './pod-lifetime.ts';
import type { SessionTimeline } from './session-timeline.ts';
import { formatQueueWaitSplit, splitQueueWaits } from './split-queue-waits.ts';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const at = (s: number) => T0 + s * 1000;

function pod(name: string, ip: string, seenS: number, goneS?: number): PodLifetime {
  return {
    name,
    uid: `u-${name}`,
    ip,
    createdAt: at(Math.floor(seenS)),
    firstSeenAt: at(seenS),
    ...(goneS === undefined ? {} : { goneAt: at(goneS) }),
  };
}

function session(
  index: number,
  requestedS: number,
  startedS: number | undefined,
  nodeUri?: string,
): SessionTimeline {
  return {
    index,
    phase: 0,
    plannedAtMs: 0,
    plannedDurationMs: 0,
    requestedAt: at(requestedS),
    ...(startedS === undefined
      ? {}
      : { createdAt: at(startedS), queueWaitMs: at(startedS) - at(requestedS) }),
    endedAt: at((startedS ?? requestedS) + 10),
    outcome: startedS === undefined ? 'failed-to-start' : 'ok',
    pages: 1,
    ...(nodeUri === undefined ? {} : { nodeUri }),
  };
}

describe('splitQueueWaits', () => {
  // warm: there from 0 s. p1: seen 12.5 s (a request at 10 s). p2: seen 14 s, gone at 60 s; its IP
  // is given to p3, seen 100 s.
  const pods = [
    pod('warm', '10.0.0.1', 0),
    pod('p1', '10.0.0.2', 12.5),
    pod('p2', '10.0.0.3', 14, 60),
    pod('p3', '10.0.0.3', 100),
  ];
  const timelines = [
    session(0, 5, 5.2, 'http://10.0.0.1:5555'), // warm pod
    session(1, 10, 30.5, 'http://10.0.0.2:5555'), // p1: 2.5 s scaling, 18 s start
    session(2, 10, 34, 'http://10.0.0.3:5555'), // p2: 4 s scaling, 20 s start
    session(3, 95, 120, 'http://10.0.0.3:5555'), // p3 (same IP, later pod): 5 s, 20 s
    session(4, 96, undefined), // never started: not counted
    session(5, 97, 99, undefined), // started, no node known
  ];

  test('a session on a pod that was there when it asked waited for the hub only', () => {
    expect(splitQueueWaits(timelines, pods).onWarmPod).toBe(1);
  });

  test('a session on a pod made after it asked splits at the pod: scaling, then pod start', () => {
    const split = splitQueueWaits(timelines, pods);
    expect(split.onNewPod).toBe(3);
    expect(split.scaling).toEqual({ p50Ms: 4_000, p95Ms: 5_000 });
    expect(split.podStart).toEqual({ p50Ms: 20_000, p95Ms: 20_000 });
  });

  test('an IP given to a later pod is that pod for sessions after the first one was gone', () => {
    const split = splitQueueWaits([timelines[3] as SessionTimeline], pods);
    expect(split.scaling).toEqual({ p50Ms: 5_000, p95Ms: 5_000 });
  });

  test('started sessions without a known pod are counted apart; unstarted ones not at all', () => {
    expect(splitQueueWaits(timelines, pods).unmatched).toBe(1);
  });

  test('no sessions: no percentiles', () => {
    expect(splitQueueWaits([], pods)).toEqual({
      onWarmPod: 0,
      onNewPod: 0,
      scaling: { p50Ms: undefined, p95Ms: undefined },
      podStart: { p50Ms: undefined, p95Ms: undefined },
      unmatched: 0,
    });
  });

  test('one line for the bench, the unmatched named only when there are some', () => {
    expect(formatQueueWaitSplit('E', splitQueueWaits(timelines, pods))).toBe(
      'E: 1 on a warm pod, 3 on a new one: scaling p50 4.0 s p95 5.0 s, pod start p50 20.0 s p95 20.0 s, 1 without a known pod',
    );
    expect(formatQueueWaitSplit('C', splitQueueWaits([], pods))).toBe(
      'C: 0 on a warm pod, 0 on a new one: scaling p50 - p95 -, pod start p50 - p95 -',
    );
  });
});
