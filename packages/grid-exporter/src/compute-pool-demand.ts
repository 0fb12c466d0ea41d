import { isDeepStrictEqual } from 'node:util';
import type { CapabilityView } from './capability-view.ts';
import type { GridNodeState, GridState } from './grid-state.ts';
import { MinHeap } from './min-heap.ts';
import type { Pool } from './pool.ts';
import { makePoolMatcher } from './pool-matcher.ts';

/** What one pool needs now, per the contract in the package README ("Desired nodes"). */
export interface PoolDemand {
  readonly pool: string;
  readonly desiredNodes: number;
  /** Queued requests that ask for this pool. */
  readonly queuedRequests: number;
  /** The pool's UP nodes holding at least one session. */
  readonly busyNodes: number;
  /** Free slots of this pool's kind on its UP nodes, before the queue is placed. */
  readonly freeSlots: number;
  /** Sessions on the pool's nodes, whatever their status. */
  readonly sessions: number;
  /** The pool's nodes by status. */
  readonly nodes: number;
  /** Queued requests left without a slot on an existing node. */
  readonly unplacedRequests: number;
  /** Ids of the pool's UP nodes that are needed: holding a session or about to receive a request. */
  readonly neededNodeIds: readonly string[];
}

export function computePoolDemand(state: GridState, pool: Pool): PoolDemand {
  const matcher = makePoolMatcher(pool);
  const poolNodes = state.nodes.filter((n) => n.stereotypes.some((s) => matcher.stereotype(s.stereotype)));

  const candidates: _Candidate[] = [];
  let freeSlots = 0;
  let sessions = 0;
  let busyNodes = 0;
  for (const node of poolNodes) {
    sessions += node.sessions.length;
    if (node.status !== 'UP') continue; // DRAINING and DOWN nodes are leaving (KEDA defect e)
    const busy = Math.max(node.sessionCount, node.sessions.length) > 0;
    if (busy) busyNodes++;
    const free = _freePoolSlots(node, (c) => matcher.stereotype(c));
    freeSlots += free;
    candidates.push({ node, free, assigned: 0, busy, browsers: _distinctBrowsers(node) });
  }

  // Place the queue in order on free slots the way the Grid's DefaultSlotSelector does: nodes
  // serving fewer browser kinds first, then the least loaded, then by id. Placing like the Grid
  // (rather than packing) keeps "idle nodes about to receive a request" counted as needed.
  const heap = new MinHeap<_Candidate>(_gridOrder);
  for (const c of candidates) if (c.free > 0) heap.push(c);
  let queuedRequests = 0;
  let unplacedRequests = 0;
  for (const request of state.queue) {
    if (!matcher.request(request)) continue;
    queuedRequests++;
    const target = heap.pop();
    if (target === undefined) {
      unplacedRequests++;
      continue;
    }
    target.assigned++;
    target.free--;
    if (target.free > 0) heap.push(target);
  }

  const needed = candidates.filter((c) => c.busy || c.assigned > 0);
  const k = Math.max(1, pool.nodeMaxSessions);
  return {
    pool: pool.name,
    desiredNodes: needed.length + Math.ceil(unplacedRequests / k) + pool.idleNodes,
    queuedRequests,
    busyNodes,
    freeSlots,
    sessions,
    nodes: poolNodes.length,
    unplacedRequests,
    neededNodeIds: needed.map((c) => c.node.id),
  };
}

// --- internal ---

interface _Candidate {
  readonly node: GridNodeState;
  free: number;
  assigned: number;
  readonly busy: boolean;
  readonly browsers: number;
}

function _gridOrder(a: _Candidate, b: _Candidate): boolean {
  if (a.browsers !== b.browsers) return a.browsers < b.browsers;
  const loadA = (a.node.sessionCount + a.assigned) / Math.max(1, a.node.maxSession);
  const loadB = (b.node.sessionCount + b.assigned) / Math.max(1, b.node.maxSession);
  if (loadA !== loadB) return loadA < loadB;
  return a.node.id < b.node.id;
}

/**
 * Free slots this pool can use on a node: per matching stereotype, its slots minus the sessions
 * running in them (KEDA counts per node, so a chrome+firefox node absorbs two chrome requests:
 * defect c), never more than the node's own maxSession − sessionCount.
 */
function _freePoolSlots(node: GridNodeState, belongs: (c: CapabilityView) => boolean): number {
  const used = node.stereotypes.map(() => 0);
  for (const session of node.sessions) {
    let index = node.stereotypes.findIndex((s) =>
      isDeepStrictEqual(s.stereotype.raw, session.slotStereotype.raw),
    );
    if (index < 0) {
      // A slot stereotype the node does not list verbatim (e.g. enriched by the Grid): charge the
      // first stereotype of the same browser with room left.
      index = node.stereotypes.findIndex(
        (s, i) => s.stereotype.browserName === session.slotStereotype.browserName && used[i]! < s.slots,
      );
    }
    if (index >= 0) used[index]!++;
  }
  let free = 0;
  node.stereotypes.forEach((s, i) => {
    if (belongs(s.stereotype)) free += Math.max(0, s.slots - used[i]!);
  });
  const nodeFree = Math.max(0, node.maxSession - Math.max(node.sessionCount, node.sessions.length));
  return Math.min(free, nodeFree);
}

function _distinctBrowsers(node: GridNodeState): number {
  return new Set(node.stereotypes.map((s) => s.stereotype.browserName)).size;
}
