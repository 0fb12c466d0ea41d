import { currentRunId, findLeftoverProcesses, waitUntil } from '@scrapegrid/process-group';
import { Builder, By, until, type WebDriver } from 'selenium-webdriver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FixtureSite, startFixtureSite } from './fixture-site/server.ts';
import { type Grid, startGrid } from './grid.ts';

function chromeSession(grid: Grid): Promise<WebDriver> {
  return new Builder().usingServer(grid.hubUrl).withCapabilities({ browserName: 'chrome' }).build();
}

describe('a real Grid with two nodes', () => {
  let grid: Grid;
  let site: FixtureSite;

  beforeAll(async () => {
    [grid, site] = await Promise.all([startGrid({ nodes: 2, node: { maxSessions: 1 } }), startFixtureSite()]);
  });
  afterAll(async () => {
    await grid?.stop();
    await site?.close();
  });

  test('the hub lists both nodes as UP', async () => {
    const status = await grid.status();
    expect(status.nodes.map((n) => n.availability)).toEqual(['UP', 'UP']);
    expect(status.nodes.map((n) => n.uri).sort()).toEqual(grid.nodes.map((n) => n.url).sort());
  });

  test('a Chromium session through the hub reads content rendered by JavaScript', async () => {
    const driver = await chromeSession(grid);
    try {
      await driver.get(`${site.url}/products?page=2`);
      // Before rendering the page says Loading…; the items appear only after the script runs.
      await driver.wait(until.elementLocated(By.css('li.product')), 10_000);
      const titles = await Promise.all(
        (await driver.findElements(By.css('li.product a.title'))).map((e) => e.getText()),
      );
      expect(titles).toHaveLength(10);
      expect(titles[0]).toBe('Product 11 green');
      expect(await driver.findElement(By.css('a.next')).getAttribute('href')).toBe(
        `${site.url}/products?page=3`,
      );
    } finally {
      await driver.quit();
    }
  });

  test('a node killed mid-session is reported, the session fails, and stop() still cleans up', async () => {
    const driver = await chromeSession(grid);
    const sessionId = (await driver.getSession()).getId();
    await driver.get(`${site.url}/products?page=1`);
    // Which node holds the session? The hub's status says.
    const holder = await waitUntil(
      async () => {
        const status = await grid.status();
        const node = status.nodes.find((n) =>
          n.slots.some((s) => JSON.stringify(s.session ?? '').includes(sessionId)),
        );
        return node && grid.nodes.find((n) => n.url === node.uri);
      },
      { what: 'the node holding the session', timeoutMs: 10_000 },
    );
    const exit = await holder.kill();
    expect(exit.signal).toBe('SIGKILL');
    expect(grid.nodeExits).toContainEqual({ nodeUrl: holder.url, exit, beforeStop: true });
    await expect(driver.getTitle()).rejects.toThrow();
    await driver.quit().catch(() => {});

    // The JVM's chromedriver and Chromium went with its process group.
    await waitUntil(
      async () => !(await findLeftoverProcesses(currentRunId())).some((p) => p.pgid === holder.process.pid),
      { what: "the killed node's chromedriver and Chromium to be gone", timeoutMs: 5_000 },
    );
    const survivor = grid.nodes.find((n) => n !== holder)!;
    expect(survivor.process.isRunning()).toBe(true);
  });
});

test('stop() leaves no process of the Grid behind', async () => {
  const grid = await startGrid({ nodes: 1, node: { maxSessions: 1 } });
  const driver = await chromeSession(grid);
  await driver.get('about:blank');
  const before = await findLeftoverProcesses(currentRunId());
  expect(before.some((p) => p.command.includes('chromium'))).toBe(true);
  // Stop with the session still open: Chromium must go with its node.
  await grid.stop();
  const after = await waitUntil(
    async () => {
      const left = await findLeftoverProcesses(currentRunId());
      return left.length === 0 ? left : false;
    },
    { what: 'every Grid process to exit', timeoutMs: 10_000 },
  ).catch(async () => findLeftoverProcesses(currentRunId()));
  expect(after).toEqual([]);
});
