import type { SessionTimeline } from './session-timeline.ts';

/** A run's sessions sorted by whether a fault explains their end. */
export interface LossClassification {
  readonly ok: number;
  /** Ended by the run's own cap: not the Grid's doing, neither loss nor success. */
  readonly cut: number;
  /** Lost or failed to start: every session that did not end by the client's quit or the cap. */
  readonly lost: number;
  /** Of them, the ones a user would have lost anyway (their browser was killed). */
  readonly expectedLost: readonly SessionTimeline[];
  /** Of them, every other one: what a soak must not see. */
  readonly unexpectedLost: readonly SessionTimeline[];
}

/**
 * Sorts the losses of a soak. `expectedSessionIds` are the sessions whose own browser a fault
 * killed: losing those is what any user would see. Every other lost session, and every request
 * that failed to start (it has no session a fault could have hit), is unexpected.
 */
export function classifyLosses(
  timelines: readonly SessionTimeline[],
  expectedSessionIds: ReadonlySet<string>,
): LossClassification {
  const lost = timelines.filter((t) => t.outcome === 'lost' || t.outcome === 'failed-to-start');
  const expected = (t: SessionTimeline) =>
    t.outcome === 'lost' && t.sessionId !== undefined && expectedSessionIds.has(t.sessionId);
  return {
    ok: timelines.filter((t) => t.outcome === 'ok').length,
    cut: timelines.filter((t) => t.outcome === 'cut').length,
    lost: lost.length,
    expectedLost: lost.filter(expected),
    unexpectedLost: lost.filter((t) => !expected(t)),
  };
}
