import { GridError } from './grid-error.ts';

/** A node as a node's own /status or the hub's /status describes it. */
export interface GridNodeStatus {
  readonly id: string;
  readonly uri: string;
  readonly availability: 'UP' | 'DRAINING' | 'DOWN' | 'UNKNOWN';
  readonly maxSessions: number;
  /** Every slot; `session` is the running session's description, or null when the slot is free. */
  readonly slots: readonly { readonly session: unknown }[];
  /** Slots that hold a session right now. */
  readonly sessions: number;
}

/** GET /status of a hub, router or node, read one way. */
export interface GridStatus {
  /** A hub: it can take a session; a node: it has a free slot (not "registered"). */
  readonly ready: boolean;
  readonly message: string;
  /** A node's own status; undefined on a hub, router or standalone server. */
  readonly node: GridNodeStatus | undefined;
  /** The nodes a hub lists (empty on a node). */
  readonly nodes: readonly GridNodeStatus[];
}

/**
 * Reads the JSON of GET /status (selenium-grid.md: `{"value":{"ready","message","node"|"nodes"}}`).
 * GridError GRID_INVALID_RESPONSE when it is not a Grid's status; an odd node entry is dropped
 * rather than failing the whole answer.
 */
export function parseGridStatus(body: unknown, url = '/status'): GridStatus {
  const value = _get(body, 'value');
  if (!_isObject(value) || typeof value.ready !== 'boolean') {
    throw new GridError('GRID_INVALID_RESPONSE', `GET ${url} answered without a Selenium Grid status`);
  }
  const node = _isObject(value.node) ? _node(value.node) : undefined;
  const nodes = Array.isArray(value.nodes) ? value.nodes.flatMap((raw) => _node(raw) ?? []) : [];
  return {
    ready: value.ready,
    message: typeof value.message === 'string' ? value.message : '',
    node,
    nodes,
  };
}

// --- internal ---

function _node(raw: unknown): GridNodeStatus | undefined {
  if (!_isObject(raw)) return undefined;
  // A node calls its id `nodeId`, the hub's list calls it `id`.
  const id = raw.nodeId ?? raw.id;
  if (typeof id !== 'string' || !Array.isArray(raw.slots)) return undefined;
  const slots = raw.slots.map((slot) => ({ session: _get(slot, 'session') ?? null }));
  return {
    id,
    uri: String(raw.externalUri ?? raw.uri ?? ''),
    availability: _availability(raw.availability),
    maxSessions: typeof raw.maxSessions === 'number' ? raw.maxSessions : slots.length,
    slots,
    sessions: slots.filter((slot) => slot.session !== null).length,
  };
}

function _availability(raw: unknown): GridNodeStatus['availability'] {
  return raw === 'UP' || raw === 'DRAINING' || raw === 'DOWN' ? raw : 'UNKNOWN';
}

function _isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function _get(value: unknown, key: string): unknown {
  return _isObject(value) ? value[key] : undefined;
}
