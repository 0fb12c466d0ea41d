import { percentile } from './percentile.ts';
import type { LoadRun } from './run-profile.ts';

export interface QueueWaitSummary {
  /** Sessions that got a browser: the waits counted. */
  readonly count: number;
  readonly p50Ms: number | undefined;
  readonly p95Ms: number | undefined;
  readonly maxMs: number | undefined;
}

export interface RunSummary {
  readonly planned: number;
  readonly requested: number;
  readonly skipped: number;
  readonly ok: number;
  readonly lost: number;
  readonly failedToStart: number;
  /** Ended by the run's own cap, not by the Grid. */
  readonly cut: number;
  /**
   * Over the sessions that got a browser. A request that failed to start waited at least until it
   * failed (usually the hub's session-request-timeout): it is counted in failedToStart, not here.
   */
  readonly queueWait: QueueWaitSummary;
  readonly wallMs: number;
}

export function summarizeRun(run: LoadRun): RunSummary {
  const count = (outcome: string) => run.timelines.filter((t) => t.outcome === outcome).length;
  const waits = run.timelines.flatMap((t) => (t.queueWaitMs === undefined ? [] : [t.queueWaitMs]));
  return {
    planned: run.planned,
    requested: run.timelines.length,
    skipped: run.skipped,
    ok: count('ok'),
    lost: count('lost'),
    failedToStart: count('failed-to-start'),
    cut: count('cut'),
    queueWait: {
      count: waits.length,
      p50Ms: percentile(waits, 50),
      p95Ms: percentile(waits, 95),
      maxMs: waits.length === 0 ? undefined : Math.max(...waits),
    },
    wallMs: run.endedAt - run.startedAt,
  };
}
