import { type FixtureSite, type Grid, startFixtureSite, startGrid } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromeSession } from './chrome-session.ts';
import { kubeletTerminate, type Termination } from './kubelet-terminate.ts';
import { nodeHolding } from './node-holding.ts';
import { doPageWork } from './page-work.ts';

const GRACE_SECONDS = 40;
const WORK_MS = 15_000;

interface ScenarioResult {
  completed: number;
  lost: number;
  onTerminatedNodes: number;
  terminations: Termination[];
  errors: string[];
}

// The headline: hub + 3 nodes (2 slots each), 6 sessions of page work, two nodes deleted the
// kubelet's way mid-work. With drain-hook as preStop no session is lost; with no hook (SIGTERM
// only) the sessions on the deleted nodes are.
describe('scale-down of 2 of 3 busy nodes', () => {
  let site: FixtureSite;
  const results: Record<string, ScenarioResult> = {};

  beforeAll(async () => {
    site = await startFixtureSite();
  });
  afterAll(async () => {
    await site?.close();
    console.log(
      `scale-down, 6 sessions, 2 of 3 nodes terminated:\n${Object.entries(results)
        .map(([name, r]) => `  ${name.padEnd(24)} completed ${r.completed}/6, lost ${r.lost}`)
        .join('\n')}`,
    );
  });

  test('with drain-hook as preStop: every session completes', async () => {
    const result = await scaleDown(site, true);
    results['with drain-hook'] = result;
    expect(result.errors).toEqual([]);
    expect(result.completed).toBe(6);
    for (const t of result.terminations) {
      expect(t.hook?.exit.code).toBe(0);
      expect(t.killedAtGrace).toBe(false);
    }
  });

  test('without a hook (SIGTERM only): the sessions on the terminated nodes are lost', async () => {
    const result = await scaleDown(site, false);
    results['without hook (SIGTERM)'] = result;
    expect(result.onTerminatedNodes).toBe(4);
    expect(result.lost).toBe(4);
    expect(result.completed).toBe(2);
  });
});

// --- internal ---

async function scaleDown(site: FixtureSite, withHook: boolean): Promise<ScenarioResult> {
  const grid: Grid = await startGrid({ nodes: 3, node: { maxSessions: 2 } });
  try {
    const drivers = await Promise.all(Array.from({ length: 6 }, () => chromeSession(grid.hubUrl)));
    const holders = await Promise.all(
      drivers.map(async (driver) => nodeHolding(grid, (await driver.getSession()).getId())),
    );
    const victims = grid.nodes.slice(0, 2);
    const victimUrls = new Set(victims.map((node) => node.url));
    const errors: string[] = [];
    const work = drivers.map(async (driver, i) => {
      try {
        await doPageWork(driver, site.url, WORK_MS);
        await driver.quit();
        return true;
      } catch (error) {
        errors.push(`session ${i} on ${holders[i]}: ${(error as Error).message.split('\n')[0]}`);
        await driver.quit().catch(() => {});
        return false;
      }
    });
    // Mid-work, two pods are deleted.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const terminations = await Promise.all(
      victims.map((node) =>
        kubeletTerminate(node, {
          graceSeconds: GRACE_SECONDS,
          hook: withHook
            ? {
                args: [
                  '--node-url',
                  node.url,
                  '--grid-url',
                  grid.hubUrl,
                  '--deadline-seconds',
                  String(GRACE_SECONDS - 5),
                ],
                env: {},
              }
            : undefined,
        }),
      ),
    );
    const done = await Promise.all(work);
    const completed = done.filter(Boolean).length;
    return {
      completed,
      lost: done.length - completed,
      onTerminatedNodes: holders.filter((uri) => uri !== undefined && victimUrls.has(uri)).length,
      terminations,
      errors,
    };
  } finally {
    await grid.stop();
  }
}
