export { type CapabilityView, parseCapabilityView, toCapabilityView } from './capability-view.ts';
export { computePoolDemand, type PoolDemand } from './compute-pool-demand.ts';
export { GridResponseError } from './grid-response-error.ts';
export type { GridNodeState, GridState, GridTotals, MalformedKind, NodeStatus } from './grid-state.ts';
export { MalformedEntryError } from './malformed-entry-error.ts';
export { parseGridState } from './parse-grid-state.ts';
export { parsePools } from './parse-pools.ts';
export { makePool, type Pool, type PoolKubernetes } from './pool.ts';
export { makePoolMatcher, type PoolMatcher } from './pool-matcher.ts';
