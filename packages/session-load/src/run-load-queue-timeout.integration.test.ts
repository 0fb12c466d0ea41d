import { type FixtureSite, type Grid, startFixtureSite, startGrid } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LoadProfile } from './load-profile.ts';
import { type LoadResults, runLoad } from './run-load.ts';

// Two tests at once on a one-slot Grid whose hub gives a queued request 5 s: the second cannot get
// the slot in time (the first holds it 15-16 s) and the hub answers `session not created`.
const PROFILE: LoadProfile = {
  name: 'two-at-once',
  description: '',
  phases: [{ kind: 'burst', size: [2, 2], durationS: [15, 16] }],
};

describe('runLoad when the hub times a queued request out', () => {
  let grid: Grid;
  let site: FixtureSite;
  let results: LoadResults;

  beforeAll(async () => {
    [grid, site] = await Promise.all([
      startGrid({
        node: { maxSessions: 1 },
        hubArgs: ['--session-request-timeout', '5', '--session-request-timeout-period', '1'],
      }),
      startFixtureSite(),
    ]);
    results = await runLoad({
      hubUrl: grid.hubUrl,
      siteUrl: site.url,
      sitePages: site.pages,
      profile: PROFILE,
      seed: 1,
      registrationSecret: grid.registrationSecret,
      maxRunMs: 90_000,
    });
  }, 170_000);

  afterAll(async () => {
    await Promise.all([grid?.stop(), site?.close()]);
  });

  test("one ok, one failed to start with the hub's own answer, none lost", () => {
    expect({
      ok: results.summary.ok,
      failedToStart: results.summary.failedToStart,
      lost: results.summary.lost,
    }).toEqual({
      ok: 1,
      failedToStart: 1,
      lost: 0,
    });
    const failed = results.run.timelines.find((t) => t.outcome === 'failed-to-start');
    expect(failed?.failure).toMatchObject({
      stage: 'new-session',
      code: 'WEBDRIVER_ERROR',
      w3cError: 'session not created',
    });
    expect(failed?.failure?.message).toContain('New session request timed out');
    expect(failed?.createdAt).toBeUndefined();
    // It failed after the hub's 5 s, well before the first session let the slot go.
    const waited = (failed?.endedAt ?? 0) - (failed?.requestedAt ?? 0);
    expect(waited).toBeGreaterThanOrEqual(5_000);
    expect(waited).toBeLessThan(15_000);
    // Its wait is not in the queue-wait figures: only the session that got a browser is.
    expect(results.summary.queueWait.count).toBe(1);
  });
});
