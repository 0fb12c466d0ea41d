import { parseCapabilityView, toCapabilityView } from './capability-view.ts';
import { GridResponseError } from './grid-response-error.ts';
import type {
  GridNodeState,
  GridState,
  GridTotals,
  MalformedKind,
  NodeStatus,
  SessionState,
  StereotypeEntry,
} from './grid-state.ts';

/**
 * Reads the `data` of the exporter's GraphQL query into a GridState. Only a missing or non-object
 * `data` fails the whole answer; every other bad entry is skipped and counted, so one odd node or
 * request never hides the rest of the Grid (KEDA's scaler panics or errors on the whole poll).
 */
export function parseGridState(data: unknown): GridState {
  if (!_isObject(data)) throw new GridResponseError('GraphQL answer has no data object');
  if (!('nodesInfo' in data || 'sessionsInfo' in data || 'grid' in data)) {
    throw new GridResponseError('GraphQL answer has none of grid, nodesInfo, sessionsInfo');
  }
  const malformed: Record<MalformedKind, number> = { node: 0, stereotype: 0, session: 0, queue_request: 0 };
  const skip = (kind: MalformedKind): undefined => {
    malformed[kind]++;
    return undefined;
  };

  const nodes: GridNodeState[] = [];
  for (const raw of _array(_get(_get(data, 'nodesInfo'), 'nodes'))) {
    const node = _readNode(raw, skip);
    if (node) nodes.push(node);
  }

  const queue = [];
  for (const raw of _array(_get(_get(data, 'sessionsInfo'), 'sessionQueueRequests'))) {
    try {
      queue.push(parseCapabilityView(raw));
    } catch {
      skip('queue_request');
    }
  }

  return { totals: _readTotals(_get(data, 'grid'), nodes, queue.length), nodes, queue, malformed };
}

// --- internal ---

type Skip = (kind: MalformedKind) => undefined;

function _readNode(raw: unknown, skip: Skip): GridNodeState | undefined {
  if (!_isObject(raw) || typeof raw.id !== 'string') return skip('node');
  const stereotypes: StereotypeEntry[] = [];
  let list: unknown;
  try {
    list = typeof raw.stereotypes === 'string' ? JSON.parse(raw.stereotypes) : raw.stereotypes;
  } catch {
    list = undefined;
  }
  if (Array.isArray(list)) {
    for (const entry of list) {
      try {
        const slots = _get(entry, 'slots');
        if (!_isCount(slots)) throw new Error('slots is not a count');
        stereotypes.push({ slots, stereotype: toCapabilityView(_get(entry, 'stereotype')) });
      } catch {
        skip('stereotype');
      }
    }
  } else {
    skip('stereotype');
  }

  const sessions: SessionState[] = [];
  for (const session of _array(raw.sessions)) {
    try {
      sessions.push({
        id: String(_get(session, 'id') ?? ''),
        slotStereotype: parseCapabilityView(_get(_get(session, 'slot'), 'stereotype')),
      });
    } catch {
      skip('session');
    }
  }

  const slotTotal = stereotypes.reduce((sum, s) => sum + s.slots, 0);
  return {
    id: raw.id,
    uri: typeof raw.uri === 'string' ? raw.uri : '',
    status: _status(raw.status),
    maxSession: _isCount(raw.maxSession) ? raw.maxSession : slotTotal,
    slotCount: _isCount(raw.slotCount) ? raw.slotCount : slotTotal,
    sessionCount: _isCount(raw.sessionCount) ? raw.sessionCount : sessions.length,
    stereotypes,
    sessions,
  };
}

function _readTotals(raw: unknown, nodes: readonly GridNodeState[], queued: number): GridTotals {
  const sum = (pick: (n: GridNodeState) => number) => nodes.reduce((s, n) => s + pick(n), 0);
  const count = (key: string, fallback: number) => {
    const value = _get(raw, key);
    return _isCount(value) ? value : fallback;
  };
  const version = _get(raw, 'version');
  return {
    totalSlots: count(
      'totalSlots',
      sum((n) => n.slotCount),
    ),
    maxSession: count(
      'maxSession',
      sum((n) => n.maxSession),
    ),
    sessionCount: count(
      'sessionCount',
      sum((n) => n.sessionCount),
    ),
    sessionQueueSize: count('sessionQueueSize', queued),
    nodeCount: count('nodeCount', nodes.length),
    version: typeof version === 'string' ? version : '',
  };
}

function _status(value: unknown): NodeStatus {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  return upper === 'UP' || upper === 'DRAINING' || upper === 'DOWN' ? upper : 'UNKNOWN';
}

function _isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function _get(value: unknown, key: string): unknown {
  return _isObject(value) ? value[key] : undefined;
}

function _array(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function _isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
