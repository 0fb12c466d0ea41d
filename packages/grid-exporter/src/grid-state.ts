import type { CapabilityView } from './capability-view.ts';

/** The Grid's state as read from one GraphQL answer, with malformed entries already skipped. */
export interface GridState {
  readonly totals: GridTotals;
  readonly nodes: readonly GridNodeState[];
  /** Queued requests in queue order (each request's first capability set, as the Grid gives it). */
  readonly queue: readonly CapabilityView[];
  /** Entries skipped because they could not be read, by kind. */
  readonly malformed: Readonly<Record<MalformedKind, number>>;
}

export type MalformedKind = 'node' | 'stereotype' | 'session' | 'queue_request';

export interface GridTotals {
  readonly totalSlots: number;
  readonly maxSession: number;
  readonly sessionCount: number;
  readonly sessionQueueSize: number;
  readonly nodeCount: number;
  readonly version: string;
}

export type NodeStatus = 'UP' | 'DRAINING' | 'DOWN' | 'UNKNOWN';

export interface GridNodeState {
  readonly id: string;
  readonly uri: string;
  readonly status: NodeStatus;
  readonly maxSession: number;
  readonly slotCount: number;
  readonly sessionCount: number;
  readonly stereotypes: readonly StereotypeEntry[];
  readonly sessions: readonly SessionState[];
}

export interface StereotypeEntry {
  readonly slots: number;
  readonly stereotype: CapabilityView;
}

export interface SessionState {
  readonly id: string;
  /** The stereotype of the slot the session runs in. */
  readonly slotStereotype: CapabilityView;
}
