/**
 * Builds a GraphQL `data` object shaped like the Grid's answer to the exporter's query, for tests
 * and the benchmark: capabilities are JSON strings, as the Grid sends them.
 */
export interface NodeSpec {
  id: string;
  uri?: string;
  status?: string;
  /** Stereotypes with their slot counts. */
  stereotypes: ReadonlyArray<{ slots: number; stereotype: Record<string, unknown> }>;
  /** One entry per running session: the stereotype of the slot it runs in. */
  sessions?: ReadonlyArray<Record<string, unknown>>;
  maxSession?: number;
}

export function buildGridData(nodes: readonly NodeSpec[], queue: ReadonlyArray<Record<string, unknown>>) {
  const built = nodes.map((n) => {
    const slots = n.stereotypes.reduce((sum, s) => sum + s.slots, 0);
    const sessions = n.sessions ?? [];
    return {
      id: n.id,
      uri: n.uri ?? `http://${n.id}:5555`,
      status: n.status ?? 'UP',
      maxSession: n.maxSession ?? slots,
      slotCount: slots,
      sessionCount: sessions.length,
      stereotypes: JSON.stringify(n.stereotypes),
      sessions: sessions.map((stereotype, i) => ({
        id: `${n.id}-session-${i}`,
        capabilities: JSON.stringify(stereotype),
        slot: { id: `${n.id}-slot-${i}`, stereotype: JSON.stringify(stereotype) },
      })),
    };
  });
  return {
    grid: {
      totalSlots: built.reduce((s, n) => s + n.slotCount, 0),
      maxSession: built.reduce((s, n) => s + n.maxSession, 0),
      sessionCount: built.reduce((s, n) => s + n.sessionCount, 0),
      sessionQueueSize: queue.length,
      nodeCount: built.length,
      version: '4.48.0',
    },
    nodesInfo: { nodes: built },
    sessionsInfo: { sessionQueueRequests: queue.map((q) => JSON.stringify(q)) },
  };
}
