import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGridClient } from '@scrapegrid/selenium-grid';
import {
  type FixtureSite,
  type Grid,
  type GridNode,
  type NodeOptions,
  startFixtureSite,
  startGrid,
  waitUntil,
} from '@scrapegrid/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { chromeSession } from './chrome-session.ts';
import { type HookLine, startHook } from './hook-process.ts';
import { leaveHub } from './leave-hub.ts';
import { nodeHolding } from './node-holding.ts';
import { doPageWork } from './page-work.ts';

const SECRET = 'drain-hook-test-secret-7f3a';

// One hub (with a registration secret, so the header handling is real) shared by the tests, which
// run in any order: each test adds its own nodes, and afterEach takes every one of them off the
// hub again (drained, stopped or killed), so the next test finds a hub with no node.
describe('drain-hook against a real Grid', () => {
  let grid: Grid;
  let site: FixtureSite;
  let workDir: string;
  const added: GridNode[] = [];
  const addNode = async (options?: NodeOptions) => {
    const node = await grid.addNode(options);
    added.push(node);
    return node;
  };

  beforeAll(async () => {
    [grid, site, workDir] = await Promise.all([
      startGrid({ nodes: 0, registrationSecret: SECRET }),
      startFixtureSite(),
      mkdtemp(join(tmpdir(), 'drain-hook-test-')),
    ]);
  });
  afterAll(async () => {
    await grid?.stop();
    await site?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await leaveHub(grid, added.splice(0));
    expect((await grid.status()).nodes).toEqual([]);
  });

  const hookFor = (node: GridNode, extra: string[] = [], env: Record<string, string> = {}) =>
    startHook(['--node-url', node.url, '--grid-url', grid.hubUrl, ...extra], {
      SE_REGISTRATION_SECRET: SECRET,
      ...env,
    });

  test('idle node: exit 0 within 2 s, the node process exits and the hub drops it', async () => {
    const node = await addNode();
    const mirror = join(workDir, 'main-process-output.log');
    const result = await hookFor(node, ['--deadline-seconds', '20', '--log-mirror', mirror]).done;

    expect(result.exit.code, result.stderr).toBe(0);
    expect(result.exitedAt - result.upAt).toBeLessThan(2_000);
    const steps = result.lines.map((line) => line.step);
    expect(steps).toEqual(expect.arrayContaining(['start', 'found', 'drain-requested', 'done', 'exit']));
    for (const line of result.lines.filter((l) => l.step !== 'start' && l.step !== 'exit')) {
      expect(line).toMatchObject({ nodeId: node.id, sessions: 0, elapsedMs: expect.any(Number) });
    }
    // The JVM finishes its own exit about a second after its drain completes.
    await waitUntil(() => !node.process.isRunning(), { what: 'the drained node to exit', timeoutMs: 30_000 });
    expect((await node.process.exited).code).toBe(0);
    expect((await grid.status()).nodes.map((n) => n.id)).not.toContain(node.id);

    // The same lines reach the main process output (kubectl logs), and the secret is nowhere.
    const mirrored = (await readFile(mirror, 'utf8')).trim().split('\n');
    expect(mirrored).toHaveLength(result.lines.length);
    expect(JSON.parse(mirrored.at(-1)!)).toMatchObject({ step: 'exit', exitCode: 0 });
    expect(`${mirrored.join('\n')}${result.stderr}`).not.toContain(SECRET);
  });

  test('busy node: running sessions finish every command, new sessions go elsewhere, exit within 2 s of the last', async () => {
    const busy = await addNode({ maxSessions: 2 });
    const [first, second] = await Promise.all([chromeSession(grid.hubUrl), chromeSession(grid.hubUrl)]);
    const other = await addNode({ maxSessions: 1 });
    const ids = await Promise.all([first.getSession(), second.getSession()]).then((s) =>
      s.map((x) => x.getId()),
    );
    for (const id of ids) expect(await nodeHolding(grid, id)).toBe(busy.url);

    const sessionEndedAt: number[] = [];
    const work = [first, second].map(async (driver) => {
      const report = await doPageWork(driver, site.url, 10_000);
      await driver.quit();
      sessionEndedAt.push(performance.now());
      return report;
    });
    // Let the sessions get going, then the pod is deleted.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const hook = hookFor(busy, ['--deadline-seconds', '60']);
    await waitUntil(() => hook.lines().some((l) => l.step === 'drain-requested'), {
      what: 'the hook to request the drain',
      timeoutMs: 10_000,
    });

    // A session asked for while the node drains lands on the other node, not the draining one.
    const late = await chromeSession(grid.hubUrl);
    const lateId = (await late.getSession()).getId();
    expect(await nodeHolding(grid, lateId)).toBe(other.url);
    await late.quit();

    const reports = await Promise.all(work);
    const lastSessionEnded = Math.max(...sessionEndedAt);
    const result = await hook.done;

    for (const report of reports) expect(report.pages).toBeGreaterThan(5);
    expect(result.exit.code, result.stderr).toBe(0);
    expect(result.exitedAt).toBeGreaterThan(lastSessionEnded);
    expect(result.exitedAt - lastSessionEnded).toBeLessThan(2_000);
    // It saw both sessions and counted them down.
    const counts = result.lines.filter((l) => l.sessions !== undefined).map((l) => l.sessions);
    expect(counts).toContain(2);
    expect(counts.at(-1)).toBe(0);
    await waitUntil(() => !busy.process.isRunning(), { what: 'the drained node to exit', timeoutMs: 30_000 });
  });

  test('deadline: exit 1 at the deadline, saying one session is still running', async () => {
    const node = await addNode({ maxSessions: 1 });
    const driver = await chromeSession(grid.hubUrl);
    const work = doPageWork(driver, site.url, 14_000);
    const result = await hookFor(node, ['--deadline-seconds', '6']).done;

    expect(result.exit.code, result.stderr).toBe(1);
    expect(Math.abs(result.exitedAt - result.startedAt - 6_000)).toBeLessThanOrEqual(1_000);
    const last = result.lines.at(-1) as HookLine;
    expect(last).toMatchObject({ step: 'exit', exitCode: 1, sessions: 1 });
    expect(last.msg).toMatch(/1 session\(s\) still running/);

    // The hook gave up, but it killed nothing: the session finishes, then the node leaves.
    expect((await work).pages).toBeGreaterThan(5);
    await driver.quit();
    await waitUntil(() => !node.process.isRunning(), { what: 'the drained node to exit', timeoutMs: 30_000 });
  });

  test('node already stopped: exit 0 at once', async () => {
    const node = await addNode({ maxSessions: 1 });
    await node.kill();
    const result = await hookFor(node, ['--deadline-seconds', '20']).done;

    expect(result.exit.code, result.stderr).toBe(0);
    expect(result.exitedAt - result.upAt).toBeLessThan(1_000);
    expect(result.lines.map((l) => l.step)).toContain('already-gone');
  });

  test('wrong secret: a clear error and exit 1 without waiting; the node keeps running', async () => {
    const keptNode = await addNode({ maxSessions: 1 });
    const wrong = 'not-the-secret-4242';
    const result = await hookFor(keptNode, ['--deadline-seconds', '20'], { SE_REGISTRATION_SECRET: wrong })
      .done;

    expect(result.exit.code).toBe(1);
    expect(result.exitedAt - result.upAt).toBeLessThan(2_000);
    const last = result.lines.at(-1) as HookLine;
    expect(last).toMatchObject({ step: 'exit', exitCode: 1, code: 'GRID_DRAIN_REFUSED' });
    expect(last.msg).toMatch(/401: SE_REGISTRATION_SECRET does not match/);
    expect(result.lines.find((l) => l.step === 'drain-requested')).toMatchObject({
      node: { outcome: 'refused' },
      hub: { outcome: 'refused' },
    });
    expect(JSON.stringify(result.lines)).not.toContain(wrong);
    const onHub = (await grid.status()).nodes.find((n) => n.id === keptNode.id);
    expect(onHub?.availability).toBe('UP');
    expect(keptNode.process.isRunning()).toBe(true);
  });
});

// A Grid of its own: stopping the hub must not take it away from the tests above, whatever order
// they run in.
describe('drain-hook when the hub is down', () => {
  let grid: Grid;
  beforeAll(async () => {
    grid = await startGrid({ nodes: 0, registrationSecret: SECRET });
  });
  afterAll(async () => {
    await grid?.stop();
  });

  test('hub down: the local drain still happens', async () => {
    const keptNode = await grid.addNode({ maxSessions: 1 });
    await grid.hub.stop(2_000);
    const result = await startHook(
      ['--node-url', keptNode.url, '--grid-url', grid.hubUrl, '--deadline-seconds', '20'],
      {
        SE_REGISTRATION_SECRET: SECRET,
      },
    ).done;

    expect(result.exit.code, result.stderr).toBe(0);
    const requested = result.lines.find((l) => l.step === 'drain-requested');
    expect(requested).toMatchObject({ node: { outcome: 'accepted' }, hub: { outcome: 'unreachable' } });
    // Without the event bus (bound in the hub) the node never hears its own NodeDrainComplete and
    // stays DRAINING with no session: the hook's idle guard ends the wait, SIGTERM loses nothing.
    const client = createGridClient({ url: keptNode.url });
    const status = await client.nodeStatus().finally(() => client.close());
    expect(status.availability).toBe('DRAINING');
    expect(status.slots.every((slot) => slot.session === null)).toBe(true);
    expect(result.lines.map((l) => l.step)).toContain('node-idle');
    expect(result.exitedAt - result.startedAt).toBeLessThan(13_000);
  });
});
