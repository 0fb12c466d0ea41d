import { type Grid, type GridNode, waitUntil } from '@scrapegrid/test-support';

/**
 * Takes `nodes` off the shared hub so the next test, in whatever order it runs, finds the hub as
 * the suite started it (no node). A running node gets SIGTERM (which deregisters it); a node that
 * was killed stays on the hub until its health checks fail, so every one is also removed through
 * the distributor. Resolves when the hub lists none of them.
 */
export async function leaveHub(grid: Grid, nodes: readonly GridNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.process.stop(10_000)));
  for (const node of nodes) {
    // 200 whether or not the hub still knew the node; a dead node never re-registers.
    const answer = await fetch(`${grid.hubUrl}/se/grid/distributor/node/${encodeURIComponent(node.id)}`, {
      method: 'DELETE',
      headers: { 'X-REGISTRATION-SECRET': grid.registrationSecret },
      signal: AbortSignal.timeout(30_000),
    });
    await answer.body?.cancel();
    if (answer.status !== 200) throw new Error(`DELETE node ${node.id} from the hub: HTTP ${answer.status}`);
  }
  const ids = new Set(nodes.map((node) => node.id));
  await waitUntil(async () => !(await grid.status()).nodes.some((n) => ids.has(n.id)), {
    what: `the hub to drop ${ids.size} node(s) a test added`,
    timeoutMs: 60_000,
  });
}
