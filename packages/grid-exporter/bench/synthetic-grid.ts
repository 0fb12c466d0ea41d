import { buildGridData, type NodeSpec } from '../src/build-grid-data.ts';
import { makePool } from '../src/pool.ts';

/**
 * The benchmark's Grid: 500 nodes × 4 slots over three browsers, most slots busy, and 5,000
 * queued requests over three pools. Deterministic, so runs compare.
 */
export const BROWSERS = [
  { pool: 'chrome', browserName: 'chrome', sessionBrowserName: 'chrome', nodes: 250, requests: 3000 },
  { pool: 'firefox', browserName: 'firefox', sessionBrowserName: 'firefox', nodes: 150, requests: 1500 },
  { pool: 'edge', browserName: 'MicrosoftEdge', sessionBrowserName: 'msedge', nodes: 100, requests: 500 },
] as const;

export const POOLS = BROWSERS.map((b) =>
  makePool({
    name: b.pool,
    browserName: b.browserName,
    sessionBrowserName: b.sessionBrowserName,
    platformName: 'linux',
    nodeMaxSessions: 4,
  }),
);

export function syntheticGridData() {
  const nodes: NodeSpec[] = [];
  let i = 0;
  for (const b of BROWSERS) {
    const stereotype = { browserName: b.sessionBrowserName, platformName: 'linux', 'se:vncEnabled': true };
    for (let n = 0; n < b.nodes; n++, i++) {
      // Every tenth node has a free slot or two; one in fifty is draining.
      const sessions = i % 10 === 0 ? 2 + (i % 3 === 0 ? 1 : 0) : 4;
      nodes.push({
        id: `node-${i}`,
        uri: `http://10.0.${i >> 8}.${i & 255}:5555`,
        status: i % 50 === 7 ? 'DRAINING' : 'UP',
        stereotypes: [{ slots: 4, stereotype }],
        sessions: Array.from({ length: sessions }, () => stereotype),
      });
    }
  }
  const queue: Array<Record<string, unknown>> = [];
  for (let r = 0; r < 5000; r++) {
    // Interleave the pools the way mixed test suites queue.
    const b = r % 10 < 6 ? BROWSERS[0] : r % 10 < 9 ? BROWSERS[1] : BROWSERS[2];
    queue.push({
      browserName: b.browserName,
      platformName: 'linux',
      'goog:chromeOptions': { args: ['--headless=new'] },
    });
  }
  return buildGridData(nodes, queue);
}
