import type { GridStatus } from '@scrapegrid/selenium-grid';

/** A running session as the hub's /status shows it in a node's slot. */
export interface HubSession {
  readonly sessionId: string;
  readonly nodeId: string;
  readonly nodeUri: string;
  /** The slot's `session.start`, epoch ms; undefined when the hub gave none we can read. */
  readonly startedAt: number | undefined;
}

/**
 * The sessions a hub's /status lists, one per busy slot. The W3C new-session answer does not name
 * the node; the hub's slots do, with the session's start as the hub recorded it (an ISO instant).
 */
export function readHubSessions(status: GridStatus): HubSession[] {
  return status.nodes.flatMap((node) =>
    node.slots.flatMap((slot) => {
      const session = slot.session as { sessionId?: unknown; start?: unknown } | null;
      if (typeof session?.sessionId !== 'string') return [];
      return [
        {
          sessionId: session.sessionId,
          nodeId: node.id,
          nodeUri: node.uri,
          startedAt: _instant(session.start),
        },
      ];
    }),
  );
}

// --- internal ---

function _instant(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw !== 'string') return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}
