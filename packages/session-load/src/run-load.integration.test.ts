import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type FixtureSite, type Grid, startFixtureSite, startGrid } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LoadProfile } from './load-profile.ts';
import { type LoadResults, runLoad } from './run-load.ts';
import type { LoadRun } from './run-profile.ts';
import type { SessionTimeline } from './session-timeline.ts';

// A burst of 3 against a one-slot Grid, then one more when it is free again.
const PROFILE: LoadProfile = {
  name: 'burst-of-3-then-1',
  description: '',
  phases: [
    { kind: 'burst', size: [3, 3], durationS: [3, 6] },
    { kind: 'pause', spanS: 32 },
    { kind: 'burst', size: [1, 1], durationS: [3, 6] },
  ],
};

describe('runLoad against a real one-slot Grid', () => {
  let grid: Grid;
  let site: FixtureSite;
  let results: LoadResults;
  let run: LoadRun;
  let timelines: readonly SessionTimeline[];

  beforeAll(async () => {
    [grid, site] = await Promise.all([startGrid({ node: { maxSessions: 1 } }), startFixtureSite()]);
    results = await runLoad({
      hubUrl: grid.hubUrl,
      siteUrl: site.url,
      sitePages: site.pages,
      profile: PROFILE,
      seed: 42,
      registrationSecret: grid.registrationSecret,
      thinkMs: 500,
      maxRunMs: 120_000,
    });
    ({ run } = results);
    ({ timelines } = run);
  }, 170_000);

  afterAll(async () => {
    await Promise.all([grid?.stop(), site?.close()]);
  });

  test('every session got a browser, did its work and was quit: all ok, none lost', () => {
    expect(results.capabilities).toEqual({ browserName: 'chrome' });
    expect({ ...results.summary, queueWait: undefined, wallMs: undefined }).toEqual({
      planned: 4,
      requested: 4,
      skipped: 0,
      ok: 4,
      lost: 0,
      failedToStart: 0,
      cut: 0,
      queueWait: undefined,
      wallMs: undefined,
    });
    for (const t of timelines) {
      expect(t.pages).toBeGreaterThanOrEqual(1);
      expect(t.endedAt - (t.createdAt as number)).toBeGreaterThanOrEqual(t.plannedDurationMs);
    }
  });

  test('the burst queues behind the one slot: the k-th waits at least the earlier ones durations', () => {
    const burst = timelines
      .filter((t) => t.phase === 0)
      .sort((a, b) => (a.createdAt as number) - (b.createdAt as number));
    expect(burst.length).toBe(3);
    let earlierWorkMs = 0;
    burst.forEach((t, k) => {
      expect(t.queueWaitMs as number).toBeGreaterThanOrEqual(earlierWorkMs - TOLERANCE_MS);
      // The slot frees when the one before quits, not earlier.
      if (k > 0)
        expect(t.createdAt as number).toBeGreaterThanOrEqual(
          (burst[k - 1] as SessionTimeline).endedAt - TOLERANCE_MS,
        );
      earlierWorkMs += t.plannedDurationMs;
    });
    // The lone later one finds the slot free: it waits only for chromium to start.
    const later = timelines.find((t) => t.phase === 2) as SessionTimeline;
    expect(later.requestedAt).toBeGreaterThan((burst[2] as SessionTimeline).endedAt);
    expect(later.queueWaitMs as number).toBeLessThan(15_000);
  });

  test('the measured "session created" agrees with the hub\'s own start time of the session', () => {
    for (const t of timelines) {
      expect(t.nodeId).toBe(grid.nodes[0]?.id);
      expect(t.hubStartedAt).toBeTypeOf('number');
      expect(Math.abs((t.createdAt as number) - (t.hubStartedAt as number))).toBeLessThanOrEqual(1_500);
    }
    expect(results.hub.failedSamples).toBe(0);
  });

  test('the CLI runs the smoke profile on the same Grid and prints its table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-load-cli-'));
    try {
      const out = join(dir, 'results.json');
      const cli = new URL('./cli.ts', import.meta.url).pathname;
      const args = [
        cli,
        '--hub',
        grid.hubUrl,
        '--site',
        site.url,
        '--profile',
        'smoke',
        '--scale',
        '0.1',
        '--seed',
        '42',
        '--out',
        out,
      ];
      // execFile kills the child at its timeout: the run is bounded whatever happens.
      const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: 120_000 });
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^config\s+requested\s+ok\s+lost\s+no start\s+cut\s+wait p50/);
      expect(lines[2]).toMatch(/^smoke\s+7\s+7\s+0\s+0\s+0\s/);
      const results = JSON.parse(await readFile(out, 'utf8')) as {
        summary: { ok: number };
        run: { timelines: unknown[] };
      };
      expect(results.summary.ok).toBe(7);
      expect(results.run.timelines.length).toBe(7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// --- internal ---

const TOLERANCE_MS = 500;
