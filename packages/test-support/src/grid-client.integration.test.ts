import { waitUntil } from '@scrapegrid/process-group';
import {
  createGridClient,
  drainNodeAndWait,
  type GridClient,
  type GridLog,
  waitForGridReady,
  waitForNoNodes,
} from '@scrapegrid/selenium-grid';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Grid, startGrid } from './grid.ts';

const SECRET = 'selenium-grid-test-secret';

// @scrapegrid/selenium-grid's client against a real Grid: here, where Grids are started, since
// this package stands on the client (selenium-grid's own tests use stand-ins only, so it depends
// on nothing of this package and there is no loop between the two).
// Every conversation of the client with a real Grid 4 (hub + one node, with a registration
// secret so the header handling is real). These tests only read, so they share one Grid in any
// order; the drain, which takes the node away, has a Grid of its own below.
describe('the Grid client against a real Grid', () => {
  const g = _gridWithOneNode();

  test("/status, read one way: the hub's list and the node's own view agree", async () => {
    const [hubView, nodeView] = await Promise.all([g.hub.status(), g.node.nodeStatus()]);
    const registered = g.grid.nodes[0]!;
    expect(hubView.ready).toBe(true);
    expect(hubView.node).toBeUndefined();
    expect(hubView.nodes).toHaveLength(1);
    expect(hubView.nodes[0]).toMatchObject({
      id: registered.id,
      uri: registered.url,
      availability: 'UP',
      maxSessions: 2,
      sessions: 0,
    });
    expect(nodeView).toMatchObject({
      id: registered.id,
      uri: registered.url,
      availability: 'UP',
      sessions: 0,
    });
    expect(nodeView.slots).toHaveLength(2);
  });

  test('readiness: a hub with a node is ready at the first look', async () => {
    const problems: string[] = [];
    await waitForGridReady(g.hub, { timeoutMs: 10_000, onWaiting: (p) => problems.push(p) });
    expect(problems).toEqual([]);
  });

  test('GraphQL: the totals and the node as the hub sees them; the empty queue', async () => {
    const data = (await g.hub.graphql(
      '{ grid { nodeCount totalSlots sessionCount } nodesInfo { nodes { id status } } }',
    )) as {
      grid: unknown;
      nodesInfo: { nodes: unknown[] };
    };
    expect(data.grid).toEqual({ nodeCount: 1, totalSlots: 2, sessionCount: 0 });
    expect(data.nodesInfo.nodes).toEqual([{ id: g.grid.nodes[0]!.id, status: 'UP' }]);
    expect(await g.hub.queueRequestIds()).toEqual([]);
  });
});

// A Grid of its own: the drain takes its only node away, which the tests above must not see,
// whatever order they run in.
describe('the Grid client draining a node of a real Grid', () => {
  const g = _gridWithOneNode();

  test('drain through the hub and locally: the node leaves, its JVM exits, the hub lists no node', async () => {
    const registered = g.grid.nodes[0]!;
    const steps: unknown[] = [];
    const outcome = await drainNodeAndWait({
      node: g.node,
      hub: g.hub,
      deadlineAt: performance.now() + 60_000,
      pollMs: 200,
      log: _stepLog(steps),
    });
    expect(outcome.result).toBe('drained');
    expect(outcome.nodeId).toBe(registered.id);
    // Which of the two comes first is the Grid's timing: the hub dropping the drained node, or
    // the node's process exiting about a second after its drain completed.
    expect(['drain-complete', 'exited']).toContain(outcome.how);
    expect(steps.slice(0, 2)).toEqual(['found', 'drain-requested']);
    expect(steps.at(-1)).toBe('done');
    await waitUntil(() => !registered.process.isRunning(), {
      what: 'the drained node to exit',
      timeoutMs: 30_000,
    });
    expect((await registered.process.exited).code).toBe(0);
    expect(await waitForNoNodes(g.hub, { timeoutMs: 30_000 })).toMatchObject({
      outcome: 'gone',
      remaining: 0,
    });
  });
});

// --- internal ---

/**
 * A Grid (hub + one node with 2 slots, with a registration secret so the header handling is
 * real) for the enclosing describe, and a client for each: set once beforeAll has run.
 */
function _gridWithOneNode(): { grid: Grid; hub: GridClient; node: GridClient } {
  const started = {} as { grid: Grid; hub: GridClient; node: GridClient };
  beforeAll(async () => {
    started.grid = await startGrid({ nodes: 1, node: { maxSessions: 2 }, registrationSecret: SECRET });
    started.hub = createGridClient({ url: started.grid.hubUrl, registrationSecret: SECRET });
    started.node = createGridClient({ url: started.grid.nodes[0]!.url, registrationSecret: SECRET });
  });
  afterAll(async () => {
    await Promise.all([started.hub?.close(), started.node?.close()]);
    await started.grid?.stop();
  });
  return started;
}

function _stepLog(steps: unknown[]): GridLog {
  const record = (fields: object) => {
    steps.push((fields as { step?: unknown }).step);
  };
  const log: GridLog = { debug: () => {}, info: record, warn: record, error: record, child: () => log };
  return log;
}
