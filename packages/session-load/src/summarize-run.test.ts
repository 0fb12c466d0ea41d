import { describe, expect, test } from 'vitest';
import type { SessionTimeline } from './session-timeline.ts';
import { summarizeRun } from './summarize-run.ts';

const base = { phase: 0, plannedAtMs: 0, plannedDurationMs: 1_000, requestedAt: 1_000, pages: 1 };

function ok(index: number, waitMs: number): SessionTimeline {
  return {
    ...base,
    index,
    createdAt: 1_000 + waitMs,
    queueWaitMs: waitMs,
    endedAt: 5_000 + waitMs,
    outcome: 'ok',
    sessionId: `s${index}`,
  };
}

describe('summarizeRun', () => {
  test('counts every outcome and takes the waits of the sessions that got a browser', () => {
    const timelines: SessionTimeline[] = [
      ok(0, 100),
      ok(1, 300),
      ok(2, 200),
      {
        ...ok(3, 4_000),
        outcome: 'lost',
        failure: { stage: 'command', code: 'WEBDRIVER_ERROR', message: 'x' },
      },
      {
        ...base,
        index: 4,
        endedAt: 301_000,
        outcome: 'failed-to-start',
        failure: {
          stage: 'new-session',
          code: 'WEBDRIVER_ERROR',
          w3cError: 'session not created',
          message: 'timed out',
        },
      },
      { ...ok(5, 50), outcome: 'cut' },
    ];
    expect(summarizeRun({ startedAt: 10, endedAt: 400_010, planned: 8, skipped: 2, timelines })).toEqual({
      planned: 8,
      requested: 6,
      skipped: 2,
      ok: 3,
      lost: 1,
      failedToStart: 1,
      cut: 1,
      queueWait: { count: 5, p50Ms: 200, p95Ms: 4_000, maxMs: 4_000 },
      wallMs: 400_000,
    });
  });

  test('no session got a browser: no waits', () => {
    expect(
      summarizeRun({ startedAt: 0, endedAt: 5, planned: 0, skipped: 0, timelines: [] }).queueWait,
    ).toEqual({
      count: 0,
      p50Ms: undefined,
      p95Ms: undefined,
      maxMs: undefined,
    });
  });
});
