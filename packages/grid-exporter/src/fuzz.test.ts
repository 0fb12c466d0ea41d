import { describe, expect, test } from 'vitest';
import { buildGridData } from './build-grid-data.ts';
import { computePoolDemand } from './compute-pool-demand.ts';
import { GridResponseError } from './grid-response-error.ts';
import { parseGridState } from './parse-grid-state.ts';
import { makePool } from './pool.ts';

/**
 * 10,000 random and malformed Grid answers: the only exception allowed is GridResponseError for an
 * answer with no data object; every count stays a non-negative integer.
 */
const POOLS = [
  makePool({ name: 'chrome', browserName: 'chrome', platformName: 'linux', nodeMaxSessions: 2 }),
  makePool({
    name: 'edge',
    browserName: 'MicrosoftEdge',
    sessionBrowserName: 'msedge',
    browserVersion: '91.0',
  }),
  makePool({
    name: 'any',
    capabilities: { 'myApp:scope': 'internal' },
    enableManagedDownloads: false,
    idleNodes: 1,
  }),
];

describe('fuzz', () => {
  test('no exception escapes on 10,000 random and malformed responses', () => {
    const random = _prng(0x5eed);
    let parsed = 0;
    const bad: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const data = _randomData(random);
      let state: ReturnType<typeof parseGridState>;
      try {
        state = parseGridState(data);
      } catch (error) {
        if (!(error instanceof GridResponseError)) throw error;
        continue;
      }
      parsed++;
      for (const pool of POOLS) {
        const d = computePoolDemand(state, pool);
        const values = [d.desiredNodes, d.queuedRequests, d.busyNodes, d.freeSlots, d.sessions, d.nodes];
        // Plain checks in the loop (expect() per value is slow at this count); one assertion below.
        if (!values.every((v) => Number.isSafeInteger(v) && v >= 0) || d.desiredNodes < pool.idleNodes) {
          bad.push(`answer ${i}, pool ${pool.name}: ${JSON.stringify(d)}`);
        }
      }
    }
    expect(bad).toEqual([]);
    // Most answers must get past the parser, or this would only test the first line of it.
    expect(parsed).toBeGreaterThan(8_000);
  }, 60_000);
});

// --- internal ---

type _Random = () => number;

function _prng(seed: number): _Random {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const _pick = <T>(r: _Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

const _ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  Number.NaN,
  '',
  'x',
  true,
  false,
  [],
  {},
  [1],
  { a: 1 },
  '{',
  'null',
  '[]',
  '{"browserName":1}',
];

function _oddValue(r: _Random): unknown {
  return structuredClone(_pick(r, _ODD_VALUES));
}

function _caps(r: _Random): Record<string, unknown> {
  const caps: Record<string, unknown> = {
    browserName: _pick(r, ['chrome', 'Chrome', 'firefox', 'msedge', 'MicrosoftEdge', '']),
    platformName: _pick(r, ['linux', 'Linux', 'Windows 11', 'any', '', 'mac']),
  };
  if (r() < 0.4) caps.browserVersion = _pick(r, ['91.0', '91', '128.0', 'latest', '']);
  if (r() < 0.2) caps['se:downloadsEnabled'] = r() < 0.5;
  if (r() < 0.2) caps['myApp:scope'] = _pick(r, ['internal', 'public']);
  // Corrupt one field now and then: non-string names, non-bool flags, nested junk.
  if (r() < 0.15)
    caps[_pick(r, ['browserName', 'browserVersion', 'platformName', 'se:downloadsEnabled', 'myApp:scope'])] =
      _oddValue(r);
  return caps;
}

function _randomData(r: _Random): unknown {
  if (r() < 0.03) return _oddValue(r);
  const nodes = Array.from({ length: Math.floor(r() * 6) }, (_, i) => {
    const stereotypes = Array.from({ length: 1 + Math.floor(r() * 2) }, () => ({
      slots: 1 + Math.floor(r() * 3),
      stereotype: _caps(r),
    }));
    const sessions = Array.from({ length: Math.floor(r() * 3) }, () => _pick(r, stereotypes).stereotype);
    return {
      id: `n${i}`,
      status: _pick(r, ['UP', 'UP', 'DRAINING', 'DOWN', 'up', '?']),
      stereotypes,
      sessions,
      maxSession: r() < 0.1 ? 0 : undefined,
    };
  });
  const queue = Array.from({ length: Math.floor(r() * 8) }, () => _caps(r));
  const data = buildGridData(nodes, queue) as Record<string, unknown>;
  _corrupt(r, data);
  return data;
}

// Replaces a random value somewhere in the tree with an odd one, a few times.
function _corrupt(r: _Random, root: Record<string, unknown>): void {
  const times = Math.floor(r() * 4);
  for (let t = 0; t < times; t++) {
    let node: unknown = root;
    for (let depth = 0; depth < 6; depth++) {
      const keys = node && typeof node === 'object' ? Object.keys(node) : [];
      if (keys.length === 0) break;
      const key = _pick(r, keys);
      const child = (node as Record<string, unknown>)[key];
      if (child === null || typeof child !== 'object' || r() < 0.3) {
        (node as Record<string, unknown>)[key] = _oddValue(r);
        break;
      }
      node = child;
    }
  }
}
