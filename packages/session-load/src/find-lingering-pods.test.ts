import { describe, expect, test } from 'vitest';
import { findLingeringPods } from './find-lingering-pods.ts';
import type { PodLifetime } from './pod-lifetime.ts';
import type { SessionTimeline } from './session-timeline.ts';

function pod(name: string, ip: string, fields: Partial<PodLifetime>): PodLifetime {
  return { name, uid: name, ip, createdAt: 0, firstSeenAt: 0, ...fields };
}

function session(index: number, ip: string, createdAt: number, endedAt: number): SessionTimeline {
  return {
    index,
    phase: 0,
    plannedAtMs: 0,
    plannedDurationMs: 1_000,
    requestedAt: createdAt,
    createdAt,
    queueWaitMs: 0,
    endedAt,
    outcome: 'ok',
    pages: 1,
    nodeUri: `http://${ip}:5555`,
  };
}

describe('findLingeringPods', () => {
  test('a deleted pod held by its session is fine; one that stays 60 s after it is stuck', () => {
    const pods = [
      // Deleted at 10 s, its session ends at 100 s, gone at 105 s: held by the preStop, as it must be.
      pod('held', '10.0.0.1', { deletionRequestedAt: 10_000, goneAt: 105_000 }),
      // Deleted at 10 s, its session ends at 20 s, gone at 200 s: 180 s with nothing to hold it.
      pod('lingered', '10.0.0.2', { deletionRequestedAt: 10_000, goneAt: 200_000 }),
      // Deleted at 300 s with no session, still there at the end (500 s).
      pod('still-there', '10.0.0.3', { deletionRequestedAt: 300_000 }),
      // Never deleted.
      pod('alive', '10.0.0.4', {}),
    ];
    const timelines = [
      session(0, '10.0.0.1', 5_000, 100_000),
      session(1, '10.0.0.2', 5_000, 20_000),
      session(2, '10.0.0.4', 5_000, 490_000),
    ];
    expect(findLingeringPods(pods, timelines, { endAt: 500_000 })).toEqual([
      { name: 'lingered', freeAt: 20_000, lingeredMs: 180_000, stillPresent: false },
      { name: 'still-there', freeAt: 300_000, lingeredMs: 200_000, stillPresent: true },
    ]);
  });

  test('a session of a later pod on the same IP does not hold an earlier one', () => {
    const pods = [pod('old', '10.0.0.9', { deletionRequestedAt: 10_000, goneAt: 100_000 })];
    const later = session(0, '10.0.0.9', 150_000, 400_000);
    expect(findLingeringPods(pods, [later], { endAt: 500_000, slackMs: 30_000 })).toEqual([
      { name: 'old', freeAt: 10_000, lingeredMs: 90_000, stillPresent: false },
    ]);
  });
});
