import { hubFetch } from './hub-fetch.ts';

/** The hub's queue and its nodes with their sessions, from its GraphQL endpoint. */
export interface GridNodes {
  queue: number;
  nodes: Array<{ uri: string; sessions: Array<{ id: string }> }>;
}

export async function gridNodes(hubUrl: string): Promise<GridNodes> {
  const response = await hubFetch(`${hubUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ nodesInfo { nodes { uri, sessions { id } } }, sessionsInfo { sessionQueueRequests } }',
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as {
    data: {
      nodesInfo: { nodes: GridNodes['nodes'] };
      sessionsInfo: { sessionQueueRequests: string[] };
    };
  };
  return { queue: body.data.sessionsInfo.sessionQueueRequests.length, nodes: body.data.nodesInfo.nodes };
}

/** The hostname (a pod IP in the cluster) of the node running `sessionId`, if any. */
export function nodeHostOf(grid: GridNodes, sessionId: string): string | undefined {
  const node = grid.nodes.find((n) => n.sessions.some((s) => s.id === sessionId));
  return node && new URL(node.uri).hostname;
}
