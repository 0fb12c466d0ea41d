import type { Grid } from '@scrapegrid/test-support';

/** The URI of the node that holds `sessionId`, as the hub sees it (undefined when none does). */
export async function nodeHolding(grid: Grid, sessionId: string): Promise<string | undefined> {
  const status = await grid.status();
  return status.nodes.find((node) =>
    node.slots.some((slot) => JSON.stringify(slot.session ?? '').includes(sessionId)),
  )?.uri;
}
