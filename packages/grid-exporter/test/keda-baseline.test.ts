import { describe, expect, test } from 'vitest';
import { kedaCount } from '../bench/keda-baseline.ts';
import { loadKedaCases } from './keda-cases-fixture.ts';

/**
 * The re-implementation of KEDA's count must give KEDA's own answers: every case of KEDA's unit
 * test (test-fixtures) that is not an error case, both parts, and the id collisions of defect a
 * as Go's strings.EqualFold produces them (98 → 97, 200 → 174, 1000 → 724 new nodes).
 */
describe('kedaCount (KEDA re-implementation)', () => {
  const cases = loadKedaCases().filter((c) => !c.expectedError);

  test("50 of KEDA's cases are not error cases", () => {
    expect(cases).toHaveLength(50);
  });

  test.each(cases.map((c, i) => [i, c] as const))("case %i gives KEDA's parts", (_i, c) => {
    const got = kedaCount(JSON.stringify(c.response), {
      browserName: c.browserName,
      sessionBrowserName: c.sessionBrowserName,
      browserVersion: c.browserVersion,
      platformName: c.platformName,
      nodeMaxSessions: c.nodeMaxSessions,
      enableManagedDownloads: c.enableManagedDownloads,
      capabilities: c.capabilities === '' ? {} : JSON.parse(c.capabilities),
    });
    expect(got).toEqual({ newNodes: c.expectedNewRequestNodes, ongoing: c.expectedOnGoingSessions });
  });

  test.each([
    [98, 97],
    [200, 174],
    [1000, 724],
  ])('%i queued requests, no nodes: %i new nodes (defect a)', (queued, newNodes) => {
    const request = JSON.stringify({ browserName: 'chrome', platformName: 'linux' });
    const body = JSON.stringify({
      data: { nodesInfo: { nodes: [] }, sessionsInfo: { sessionQueueRequests: Array(queued).fill(request) } },
    });
    const got = kedaCount(body, {
      browserName: 'chrome',
      sessionBrowserName: 'chrome',
      browserVersion: '',
      platformName: 'Linux',
      nodeMaxSessions: 1,
      enableManagedDownloads: true,
      capabilities: {},
    });
    expect(got).toEqual({ newNodes, ongoing: 0 });
  });
});
