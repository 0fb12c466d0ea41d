import { describe, expect, test } from 'vitest';
import { findFlaps } from './find-flaps.ts';
import type { SessionTimeline } from './session-timeline.ts';

function running(index: number, createdAt: number, endedAt: number): SessionTimeline {
  return {
    index,
    phase: 0,
    plannedAtMs: 0,
    plannedDurationMs: 1_000,
    requestedAt: createdAt - 500,
    createdAt,
    queueWaitMs: 500,
    endedAt,
    outcome: 'ok',
    pages: 1,
  };
}

const samples = (specs: number[]) =>
  specs.map((spec, i) => ({ at: i * 1_000, spec, status: spec, ready: spec }));

describe('findFlaps', () => {
  test('consecutive samples at 0 while a session runs make one flap, with its sessions', () => {
    // Sessions: #0 runs 0-10 s, #1 runs 3-5 s; desired 0 at 2-4 s and again at 7 s.
    const flaps = findFlaps(samples([1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1]), [
      running(0, 0, 10_000),
      running(1, 3_000, 5_000),
    ]);
    expect(flaps).toEqual([
      { from: 2_000, to: 4_000, sessions: [0, 1] },
      { from: 7_000, to: 7_000, sessions: [0] },
    ]);
  });

  test('0 with nothing running, or in the last second of a quitting session, is no flap', () => {
    // #0 ends at 3.5 s: at 3 s it is in its last second; the pool then goes to 0.
    expect(findFlaps(samples([1, 1, 1, 0, 0, 0]), [running(0, 0, 3_500)])).toEqual([]);
    expect(findFlaps(samples([1, 1, 1, 0, 0, 0]), [running(0, 0, 3_500)], { slackMs: 0 })).toEqual([
      { from: 3_000, to: 3_000, sessions: [0] },
    ]);
  });

  test('a session that never got a browser does not count', () => {
    const queued: SessionTimeline = { ...running(0, 0, 10_000), outcome: 'failed-to-start' };
    const { createdAt: _c, queueWaitMs: _q, ...withoutBrowser } = queued;
    expect(findFlaps(samples([0, 0, 0]), [withoutBrowser])).toEqual([]);
  });
});
