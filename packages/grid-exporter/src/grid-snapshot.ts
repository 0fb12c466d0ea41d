import type { PoolDemand } from './compute-pool-demand.ts';
import type { GridPollError } from './grid-poll-error.ts';
import type { GridState } from './grid-state.ts';

/** The result of one poll, shared by every scrape until the next poll replaces it. */
export interface GridSnapshot {
  /** Increases by one per poll; lets readers cache what they derive from a snapshot. */
  readonly sequence: number;
  /** When the poll finished (ms since the epoch). */
  readonly at: number;
  readonly durationSeconds: number;
  /** Undefined when the poll succeeded. */
  readonly error: GridPollError | undefined;
  /** Undefined when the poll failed: stale numbers would mislead an autoscaler. */
  readonly grid: GridReading | undefined;
}

export interface GridReading {
  readonly state: GridState;
  readonly pools: readonly PoolDemand[];
  readonly unmatchedRequests: number;
  /** Undefined when the queue endpoint did not answer. */
  readonly oldestQueueWaitSeconds: number | undefined;
}
