import { computePoolDemand, type PoolDemand } from './compute-pool-demand.ts';
import type { GridState } from './grid-state.ts';
import type { Pool } from './pool.ts';
import { makePoolMatcher } from './pool-matcher.ts';

export interface GridDemand {
  readonly pools: readonly PoolDemand[];
  /** Queued requests no pool asks for: KEDA never sees them (defect g); here they are a metric. */
  readonly unmatchedRequests: number;
}

export function computeGridDemand(state: GridState, pools: readonly Pool[]): GridDemand {
  const matchers = pools.map(makePoolMatcher);
  const unmatchedRequests = state.queue.filter((request) => !matchers.some((m) => m.request(request))).length;
  return { pools: pools.map((pool) => computePoolDemand(state, pool)), unmatchedRequests };
}
