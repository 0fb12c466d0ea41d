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
 * two reasons are not on that list:
 * - h: nodes that are idle but about to receive a queued request are counted neither as new nodes
 *   nor as ongoing sessions, so the metric (= replicas) comes out one short per such node and the
 *   HPA may remove exactly the node the request is waiting for;
 * - slot≠node: the fixture's session slot stereotypes differ from the stereotype their own node
 *   advertises (impossible on a real Grid, where a slot's stereotype is the node's); the contract
 *   decides a node's pool by the node's stereotypes, which do not match the pool here.
 */
const DIFFERS: Record<number, { contract: number; because: string }> = {
  7: { contract: 2, because: 'h: node-1 receives a request and is needed' },
  8: { contract: 2, because: 'h: node-1 receives three requests and is needed' },
  11: { contract: 2, because: 'h: both idle nodes receive a request' },
  13: {
    contract: 1,
    because: 'b: two sessions on one 3-slot node are one node (which also takes the request)',
  },
  15: { contract: 2, because: 'd: busy nodes advertising 91.0 belong to a pool with an empty version' },
  24: { contract: 2, because: 'h: the idle msedge node receives the first request' },
  30: { contract: 0, because: 'slot≠node: the node has no platformName and needs managed downloads' },
  33: { contract: 0, because: 'slot≠node: the node needs managed downloads, which the pool disabled' },
  34: { contract: 1, because: 'h: the idle node receives the linux request' },
  35: { contract: 3, because: 'h: the idle node receives two requests' },
  43: { contract: 2, because: 'b: two sessions on one node with maxSession 2 are one node' },
  44: { contract: 5, because: 'd: four busy nodes advertise versions and belong to the empty-version pool' },
  47: { contract: 4, because: 'd: three busy versioned nodes count; h: node-130 receives the request' },
  48: { contract: 1, because: 'h: node-131 receives the request for 131' },
  49: { contract: 1, because: 'h: node-130 receives the request for 130' },
  50: { contract: 5, because: 'd: busy versioned nodes count; h: node-130 receives the request' },
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
      expect(c.expectedCount, `KEDA's own count (${differs.because})`).not.toBe(differs.contract);
      expect(demand.desiredNodes, differs.because).toBe(differs.contract);
    }
  });
});
