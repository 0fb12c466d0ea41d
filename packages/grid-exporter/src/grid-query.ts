/**
 * The one GraphQL query a poll sends: hub totals, every node with its stereotypes and sessions,
 * and the queue. KEDA's query plus `uri` (to map nodes to pods), the hub's queue size and version.
 */
export const GRID_QUERY = `{
  grid { totalSlots nodeCount maxSession sessionCount sessionQueueSize version }
  nodesInfo { nodes { id uri status maxSession slotCount sessionCount stereotypes
    sessions { id slot { id stereotype } } } }
  sessionsInfo { sessionQueueRequests }
}`;
