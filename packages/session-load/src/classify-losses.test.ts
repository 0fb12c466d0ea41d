import { describe, expect, test } from 'vitest';
import { classifyLosses } from './classify-losses.ts';
import type { SessionOutcome, SessionTimeline } from './session-timeline.ts';

function timeline(index: number, outcome: SessionOutcome, sessionId?: string): SessionTimeline {
  return {
    index,
    phase: 0,
    plannedAtMs: 0,
    plannedDurationMs: 1_000,
    requestedAt: 1_000,
    ...(sessionId === undefined ? {} : { sessionId, createdAt: 2_000, queueWaitMs: 1_000 }),
    endedAt: 5_000,
    outcome,
    pages: 1,
  };
}

describe('classifyLosses', () => {
  test('a lost session whose browser a fault killed is expected; every other loss is not', () => {
    const timelines = [
      timeline(0, 'ok', 'a'),
      timeline(1, 'lost', 'killed'),
      timeline(2, 'lost', 'on-a-deleted-pod'),
      timeline(3, 'failed-to-start'),
      timeline(4, 'cut', 'b'),
      timeline(5, 'ok', 'c'),
    ];
    const c = classifyLosses(timelines, new Set(['killed']));
    expect(c.ok).toBe(2);
    expect(c.cut).toBe(1);
    expect(c.lost).toBe(3);
    expect(c.expectedLost.map((t) => t.index)).toEqual([1]);
    expect(c.unexpectedLost.map((t) => t.index)).toEqual([2, 3]);
  });

  test('a killed session that still ended ok is just ok, and nothing is expected without a kill', () => {
    const timelines = [timeline(0, 'ok', 'killed'), timeline(1, 'lost', 'x')];
    expect(classifyLosses(timelines, new Set(['killed']))).toEqual({
      ok: 1,
      cut: 0,
      lost: 1,
      expectedLost: [],
      unexpectedLost: [timelines[1]],
    });
    expect(classifyLosses(timelines, new Set()).unexpectedLost.map((t) => t.index)).toEqual([1]);
  });
});
