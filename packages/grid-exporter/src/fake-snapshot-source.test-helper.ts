import type { PoolDemand } from './compute-pool-demand.ts';
import { GridPollError } from './grid-poll-error.ts';
import type { GridSnapshot } from './grid-snapshot.ts';
import type { SnapshotSource } from './pool-activity.ts';

/** Test helper: a snapshot source whose polls the test ends, with the desired nodes it chooses. */
export interface FakeSnapshotSource extends SnapshotSource {
  /** A successful poll with these desired nodes per pool. */
  poll(desired: Record<string, number>): void;
  /** A failed poll. */
  fail(message?: string): void;
  /**
   * What the next pollOnce (an on-demand poll) finds: these desired nodes. Without it, pollOnce
   * finds what the last poll found (a new snapshot, same values; nothing before the first poll).
   */
  nextPollFinds(desired: Record<string, number>): void;
  /** How many times pollOnce was called. */
  readonly onDemandPolls: number;
}

export function fakeSnapshotSource(): FakeSnapshotSource {
  const listeners: Array<(snapshot: GridSnapshot) => void> = [];
  let current: GridSnapshot | undefined;
  let sequence = 0;
  let onDemandPolls = 0;
  let next: Record<string, number> | undefined;
  const publish = (snapshot: GridSnapshot) => {
    current = snapshot;
    for (const listener of listeners) listener(snapshot);
  };
  const poll = (desired: Record<string, number>) =>
    publish({
      sequence: ++sequence,
      at: sequence * 1000,
      durationSeconds: 0.01,
      error: undefined,
      grid: {
        state: {
          nodes: [],
          queue: [],
          malformed: { node: 0, stereotype: 0, session: 0, queue_request: 0 },
        } as never,
        pools: Object.entries(desired).map(([pool, desiredNodes]) => _demand(pool, desiredNodes)),
        unmatchedRequests: 0,
        oldestQueueWaitSeconds: 0,
      },
    });
  return {
    current: () => current,
    onPoll: (listener) => {
      listeners.push(listener);
    },
    pollOnce: async () => {
      onDemandPolls++;
      const finds = next;
      next = undefined;
      if (finds !== undefined) poll(finds);
      else if (current !== undefined) publish({ ...current, sequence: ++sequence });
      return current;
    },
    nextPollFinds: (desired) => {
      next = desired;
    },
    get onDemandPolls() {
      return onDemandPolls;
    },
    poll,
    fail: (message = 'connect ECONNREFUSED') =>
      publish({
        sequence: ++sequence,
        at: sequence * 1000,
        durationSeconds: 0.01,
        error: new GridPollError('unreachable', message),
        grid: undefined,
      }),
  };
}

// --- internal ---

function _demand(pool: string, desiredNodes: number): PoolDemand {
  return {
    pool,
    desiredNodes,
    queuedRequests: desiredNodes,
    busyNodes: 0,
    freeSlots: 0,
    sessions: 0,
    nodes: 0,
    unplacedRequests: desiredNodes,
    neededNodeIds: [],
  };
}
