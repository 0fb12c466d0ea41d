import { describe, expect, test } from 'vitest';
import { buildGridData, type NodeSpec } from './build-grid-data.ts';
import { computeGridDemand } from './compute-grid-demand.ts';
import { computePoolDemand } from './compute-pool-demand.ts';
import { parseGridState } from './parse-grid-state.ts';
import { makePool } from './pool.ts';

const CHROME = { browserName: 'chrome', platformName: 'linux' };
const FIREFOX = { browserName: 'firefox', platformName: 'linux' };
const chromePool = (extra: Parameters<typeof makePool>[0] extends infer P ? Partial<P> : never = {}) =>
  makePool({ name: 'chrome', browserName: 'chrome', platformName: 'linux', ...extra });

function demand(nodes: NodeSpec[], queue: Record<string, unknown>[], pool = chromePool()) {
  return computePoolDemand(parseGridState(buildGridData(nodes, queue)), pool);
}

const chromeNode = (id: string, sessions: number, slots = 1, status = 'UP'): NodeSpec => ({
  id,
  status,
  stereotypes: [{ slots, stereotype: CHROME }],
  sessions: Array.from({ length: sessions }, () => CHROME),
});

describe('queued requests without a slot (KEDA defect a: colliding new-node ids)', () => {
  test.each([
    [98, 1, 98],
    [200, 1, 200],
    [1000, 1, 1000],
    [1000, 3, 334],
    [200, 4, 50],
  ])('%i requests, nodeMaxSessions %i → %i nodes', (requests, k, expected) => {
    const queue = Array.from({ length: requests }, () => CHROME);
    const d = demand([], queue, chromePool({ nodeMaxSessions: k }));
    expect(d.queuedRequests).toBe(requests);
    expect(d.desiredNodes).toBe(expected);
  });
});

describe('sessions count nodes, not sessions (defect b)', () => {
  test('three sessions on one node with nodeMaxSessions 3 is one node', () => {
    const d = demand([chromeNode('n1', 3, 3)], [], chromePool({ nodeMaxSessions: 3 }));
    expect(d).toMatchObject({ desiredNodes: 1, busyNodes: 1, sessions: 3, freeSlots: 0 });
  });

  test('a fourth request on a full 3-slot node asks for one more node', () => {
    const d = demand([chromeNode('n1', 3, 3)], [CHROME], chromePool({ nodeMaxSessions: 3 }));
    expect(d.desiredNodes).toBe(2);
  });
});

describe('free slots are per stereotype (defect c)', () => {
  const mixed = (sessions: Record<string, unknown>[] = []): NodeSpec => ({
    id: 'mixed',
    stereotypes: [
      { slots: 1, stereotype: CHROME },
      { slots: 1, stereotype: FIREFOX },
    ],
    sessions,
  });

  test('a node with one chrome and one firefox slot absorbs one chrome request, not two', () => {
    const d = demand([mixed()], [CHROME, CHROME]);
    expect(d).toMatchObject({ freeSlots: 1, unplacedRequests: 1, desiredNodes: 2 });
  });

  test('a running firefox session leaves the chrome slot free', () => {
    const d = demand([mixed([FIREFOX])], [CHROME]);
    expect(d).toMatchObject({ freeSlots: 1, unplacedRequests: 0, desiredNodes: 1 });
  });

  test('a running chrome session leaves no chrome slot', () => {
    const d = demand([mixed([CHROME])], [CHROME]);
    expect(d).toMatchObject({ freeSlots: 0, unplacedRequests: 1, desiredNodes: 2 });
  });
});

describe('versions (defect d)', () => {
  const versioned = (id: string, sessions: number) => ({
    ...chromeNode(id, 0),
    stereotypes: [{ slots: 1, stereotype: { ...CHROME, browserVersion: '128.0' } }],
    sessions: Array.from({ length: sessions }, () => ({ ...CHROME, browserVersion: '128.0' })),
  });

  test('busy nodes advertising a version count in a pool without one', () => {
    expect(demand([versioned('a', 1), versioned('b', 1)], []).desiredNodes).toBe(2);
  });

  test('their free slots take requests that name no version', () => {
    const d = demand([versioned('a', 0)], [CHROME]);
    expect(d).toMatchObject({ freeSlots: 1, unplacedRequests: 0, desiredNodes: 1 });
  });

  test('a pool pinned to a version still ignores other versions', () => {
    const d = demand([versioned('a', 1)], [], chromePool({ browserVersion: '127.0' }));
    expect(d).toMatchObject({ nodes: 0, desiredNodes: 0 });
  });
});

describe('nodes leaving (defect e)', () => {
  test.each(['DRAINING', 'DOWN'])('%s nodes neither count nor take requests', (status) => {
    const d = demand([chromeNode('leaving', 1, 2, status), chromeNode('up', 1)], [CHROME]);
    expect(d).toMatchObject({ busyNodes: 1, sessions: 2, freeSlots: 0, desiredNodes: 2 });
  });
});

describe('idle nodes', () => {
  test('an idle node about to receive a request is needed; other idle nodes are not', () => {
    const d = demand([chromeNode('a', 0), chromeNode('b', 0), chromeNode('c', 0)], [CHROME]);
    expect(d).toMatchObject({ desiredNodes: 1, neededNodeIds: ['a'] });
  });

  test('requests go where the Grid sends them: the least loaded node first', () => {
    const d = demand(
      [chromeNode('a', 1, 3), chromeNode('b', 0, 3)],
      [CHROME],
      chromePool({ nodeMaxSessions: 3 }),
    );
    expect(d).toMatchObject({ desiredNodes: 2, neededNodeIds: ['a', 'b'] });
  });

  test.each([
    [0, [], 2],
    [3, [CHROME, CHROME, CHROME], 5],
  ])('idleNodes 2 with %i queued requests → %i', (_n, queue, expected) => {
    expect(demand([], queue, chromePool({ idleNodes: 2 })).desiredNodes).toBe(expected);
  });
});

describe('requests for other pools (defect g is handled by the hub totals metrics)', () => {
  test('firefox requests do not count for chrome', () => {
    const d = demand([], [FIREFOX, CHROME, { ...CHROME, platformName: 'Windows 11' }]);
    expect(d).toMatchObject({ queuedRequests: 1, desiredNodes: 1 });
  });
});

describe('requests as the hub places them (issue 18: the default Python and Java client)', () => {
  const noPlatform = { browserName: 'chrome' };

  test.each([
    // [queue, pool, desired, queued]
    [[noPlatform, noPlatform, noPlatform, noPlatform], chromePool(), 4, 4],
    [[noPlatform, noPlatform, noPlatform, noPlatform], chromePool({ platformName: 'Linux' }), 4, 4],
    [
      [noPlatform, { ...noPlatform, platformName: 'ANY' }, { ...noPlatform, platformName: '' }],
      chromePool(),
      3,
      3,
    ],
    [[noPlatform, noPlatform, noPlatform], chromePool({ nodeMaxSessions: 2 }), 2, 3],
    [[{ ...noPlatform, browserVersion: '156' }], chromePool({ browserVersion: '156.0' }), 1, 1],
    [[noPlatform], chromePool({ browserVersion: '156.0' }), 1, 1],
    [[{ ...noPlatform, platformName: 'Windows 11' }], chromePool(), 0, 0],
  ])('%j on %o → %i desired', (queue, pool, desired, queued) => {
    const d = demand([], queue, pool);
    expect(d).toMatchObject({ desiredNodes: desired, queuedRequests: queued });
  });

  test('an empty pool with a burst of 4: 4 nodes, nothing unmatched (KEDA: 0 nodes, 4 unmatched)', () => {
    const state = parseGridState(
      buildGridData(
        [],
        Array.from({ length: 4 }, () => noPlatform),
      ),
    );
    const grid = computeGridDemand(state, [
      chromePool(),
      makePool({ name: 'firefox', browserName: 'firefox', platformName: 'linux' }),
    ]);
    expect(grid.unmatchedRequests).toBe(0);
    expect(grid.pools.map((p) => [p.pool, p.desiredNodes])).toEqual([
      ['chrome', 4],
      ['firefox', 0],
    ]);
  });

  test('an idle linux node takes one; the other three ask for new nodes', () => {
    const d = demand([chromeNode('warm', 0)], [noPlatform, noPlatform, noPlatform, noPlatform]);
    expect(d).toMatchObject({ desiredNodes: 4, unplacedRequests: 3, neededNodeIds: ['warm'] });
  });
});

describe('malformed data (defect f)', () => {
  test('bad entries are skipped and counted; the rest still counts', () => {
    const data = buildGridData([chromeNode('ok', 1)], [CHROME, { browserName: 7 }]);
    const nodes = data.nodesInfo.nodes as unknown[];
    nodes.push({ id: 'bad-json', status: 'UP', stereotypes: '{not json', sessions: [] });
    nodes.push({
      id: 'bad-bool',
      status: 'UP',
      stereotypes: JSON.stringify([{ slots: 1, stereotype: { ...CHROME, 'se:downloadsEnabled': 'yes' } }]),
    });
    nodes.push({ id: 42 });
    data.sessionsInfo.sessionQueueRequests.push('not json');
    const state = parseGridState(data);
    expect(state.malformed).toEqual({ node: 1, stereotype: 2, session: 0, queue_request: 2 });
    expect(computePoolDemand(state, chromePool()).desiredNodes).toBe(2);
  });
});
