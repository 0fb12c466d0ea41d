import { describe, expect, test } from 'vitest';
import { loadKedaCases } from '../test/keda-cases-fixture.ts';
import { computePoolDemand } from './compute-pool-demand.ts';
import { GridResponseError } from './grid-response-error.ts';
import { parseGridState } from './parse-grid-state.ts';
import { makePool } from './pool.ts';

/**
 * KEDA's 52 selenium-grid scaler unit cases (shared/fixtures). Each expects KEDA's count
 * (new nodes + ongoing sessions), except where the contract deliberately differs: there the
 * contract's value is expected and the reason is named. Letters a–g are autoscaling.md's list;
 * the others are not on that list:
 * - h: nodes that are idle but about to receive a queued request are counted neither as new nodes
 *   nor as ongoing sessions, so the metric (= replicas) comes out one short per such node and the
 *   HPA may remove exactly the node the request is waiting for;
 * - slot≠node: the fixture's session slot stereotypes differ from the stereotype their own node
 *   advertises (impossible on a real Grid, where a slot's stereotype is the node's); the contract
 *   decides a node's pool by the node's stereotypes, which do not match the pool here;
 * - p, v, x: requests are matched the way the hub places them (Selenium's DefaultSlotMatcher), where
 *   KEDA's rule is stricter and leaves them uncounted: p, a request without platformName fits a pool
 *   that names one; v, a request without browserVersion fits a pool that names one; x, the hub
 *   compares a pool's extra capability only when the request names it.
 */
const DIFFERS: Record<number, { contract: number; because: string; sameNumberByChance?: true }> = {
  4: {
    contract: 6,
    because:
      'p: both firefox requests name no platformName and fit the linux pool: 4 busy nodes, h: the free one receives one request, 1 new node for the other',
  },
  7: { contract: 2, because: 'h: node-1 receives a request and is needed' },
  8: { contract: 2, because: 'h: node-1 receives three requests and is needed' },
  11: { contract: 2, because: 'h: both idle nodes receive a request' },
  13: {
    contract: 1,
    because: 'b: two sessions on one 3-slot node are one node (which also takes the request)',
  },
  15: { contract: 2, because: 'd: busy nodes advertising 91.0 belong to a pool with an empty version' },
  24: { contract: 2, because: 'h: the idle msedge node receives the first request' },
  25: {
    contract: 2,
    because:
      'p: the 91.0 request without platformName fits the Windows 11 pool: busy node-1 takes one request in its free slot, 1 new node for the other',
  },
  30: {
    contract: 1,
    because:
      "slot≠node: the node has no platformName and needs managed downloads, so its sessions are not the pool's; v: the Windows 11 request without browserVersion fits the 91.0 pool: 1 new node",
  },
  33: {
    contract: 2,
    because:
      "slot≠node: the node needs managed downloads, which the pool disabled; v: the 5 requests without browserVersion fit the 91.0 pool: ceil(5 / 3) = 2 new nodes (KEDA's 2 are its 2 ongoing sessions)",
    sameNumberByChance: true,
  },
  34: { contract: 1, because: 'h: the idle node receives the linux request' },
  35: { contract: 3, because: 'h: the idle node receives two requests' },
  39: {
    contract: 5,
    because:
      'x: the requests naming neither myApp capability, or only myApp:version=beta, fit too: 4 requests without a slot + busy node-1',
  },
  40: {
    contract: 5,
    because:
      'x: the requests naming neither myApp capability, or only myApp:version=beta, fit too: 4 requests without a slot + busy node-1',
  },
  42: {
    contract: 2,
    because: 'v: the request without browserVersion fits the 91.0.4472.114 pool too: 2 new nodes',
  },
  43: { contract: 2, because: 'b: two sessions on one node with maxSession 2 are one node' },
  44: { contract: 5, because: 'd: four busy nodes advertise versions and belong to the empty-version pool' },
  45: {
    contract: 3,
    because: 'v: the request without browserVersion fits the 131.0 pool too: 2 new nodes + busy node-131',
  },
  46: {
    contract: 3,
    because: 'v: the request without browserVersion fits the 130.0 pool too: 2 new nodes + busy node-130',
  },
  47: { contract: 4, because: 'd: three busy versioned nodes count; h: node-130 receives the request' },
  48: {
    contract: 2,
    because:
      "v: the request without browserVersion fits the 131.0 pool and, h, takes node-131's free slot; the 131 request needs 1 new node",
  },
  49: {
    contract: 2,
    because:
      "v: the request without browserVersion fits the 130.0 pool and, h, takes node-130's free slot; the 130 request needs 1 new node",
  },
  50: { contract: 5, because: 'd: busy versioned nodes count; h: node-130 receives the request' },
  51: {
    contract: 2,
    because: 'v: the request without browserVersion fits the 130.0 pool too: 2 new nodes',
  },
};

describe('KEDA selenium-grid scaler cases', () => {
  const cases = loadKedaCases();

  test('all 52 cases are here', () => {
    expect(cases).toHaveLength(52);
  });

  test.each(cases.map((c, i) => [i, c] as const))('case %i', (i, c) => {
    const pool = makePool({
      name: `case-${i}`,
      browserName: c.browserName,
      sessionBrowserName: c.sessionBrowserName,
      browserVersion: c.browserVersion,
      platformName: c.platformName,
      // Unset Go arguments are zero values: nodeMaxSessions 0 behaves like 1.
      nodeMaxSessions: Math.max(1, c.nodeMaxSessions),
      enableManagedDownloads: c.enableManagedDownloads,
      capabilities: c.capabilities === '' ? {} : JSON.parse(c.capabilities),
    });
    if (c.expectedError) {
      expect(() => parseGridState(c.response?.data)).toThrow(GridResponseError);
      return;
    }
    const demand = computePoolDemand(parseGridState(c.response?.data), pool);
    const differs = DIFFERS[i];
    if (differs === undefined) {
      expect(demand.desiredNodes, 'KEDA count').toBe(c.expectedCount);
    } else {
      if (differs.sameNumberByChance) expect(c.expectedCount).toBe(differs.contract);
      else expect(c.expectedCount, `KEDA's own count (${differs.because})`).not.toBe(differs.contract);
      expect(demand.desiredNodes, differs.because).toBe(differs.contract);
    }
  });
});
