/**
 * Benchmark: the same 200 fixture listing pages (10 products each, rendered by JavaScript), through
 * the same real Grid with the same concurrency, scraped
 *   - by the worker program (`node src/main.ts run`, JSON Lines written, no Embulk), and
 *   - by baseline "naive": a bare selenium-webdriver loop reading each value with its own WebDriver
 *     call (findElements + getText/getAttribute), as scrapers are commonly written;
 *   - by baseline "script": a bare loop that reads each page with one executeScript, as the worker
 *     does, but with no queue, retries, typing, files or metrics: worker / script is the cost of
 *     everything the worker adds.
 * Prints each run, the median wall time of each and the ratios. BENCH_RUNS (default 3),
 * BENCH_CONCURRENCY (2), BENCH_VARIANTS (default worker,naive,script).
 *
 *   node bench/scrape-vs-bare-loop.bench.ts   (or: pnpm --filter @scrapegrid/worker bench, both benches)
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked, startFixtureSite, startGrid } from '@scrapegrid/test-support';
import { Builder, By, until, type WebDriver } from 'selenium-webdriver';
import { PAGE_SCRIPT } from '../src/scrape/page-script.ts';

const PAGES = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? '3');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? '2');
const PACKAGE_DIR = new URL('..', import.meta.url).pathname;
let workerRuns = 0;

const [grid, site, root] = await Promise.all([
  startGrid({ nodes: 1, node: { maxSessions: CONCURRENCY } }),
  startFixtureSite({ products: PAGES * 10, perPage: 10 }),
  mkdtemp(join(tmpdir(), 'worker-bench-')),
]);
try {
  const variants = (process.env.BENCH_VARIANTS ?? 'worker,naive,script').split(',');
  const runners: Record<string, () => Promise<{ ms: number; records: number }>> = {
    worker: () => workerRun(),
    naive: () => bareLoopRun(naivePage),
    script: () => bareLoopRun(scriptPage),
  };
  const times: Record<string, number[]> = {};
  for (let run = 1; run <= RUNS; run++) {
    const line: string[] = [];
    for (const variant of variants) {
      const { ms, records } = await runners[variant]!();
      if (records !== PAGES * 10) throw new Error(`${variant} read ${records} records, not ${PAGES * 10}`);
      times[variant] = [...(times[variant] ?? []), ms];
      line.push(`${variant} ${(ms / 1000).toFixed(1)} s`);
    }
    console.log(`run ${run}: ${line.join(', ')} (${PAGES * 10} records each)`);
  }
  console.log(
    `\n${PAGES} pages, ${PAGES * 10} records, concurrency ${CONCURRENCY}, ${RUNS} runs each, median wall time:`,
  );
  for (const variant of variants)
    console.log(`  ${variant.padEnd(7)} ${(median(times[variant]!) / 1000).toFixed(2)} s`);
  if (times.worker && times.naive)
    console.log(
      `ratio worker / naive bare loop:   ${(median(times.worker) / median(times.naive)).toFixed(2)}`,
    );
  if (times.worker && times.script)
    console.log(
      `ratio worker / one-call bare loop: ${(median(times.worker) / median(times.script)).toFixed(2)}`,
    );
} finally {
  await grid.stop();
  await site.close();
  await rm(root, { recursive: true, force: true });
}

// --- internal ---

async function workerRun(): Promise<{ ms: number; records: number }> {
  const run = ++workerRuns;
  const dir = join(root, `worker-${run}`);
  const specPath = join(root, `job-${run}.yaml`);
  await writeFile(
    specPath,
    `version: 1
name: bench
start: { template: '${site.url}/products?page={page}', pages: { from: 1, to: ${PAGES} } }
wait: { for: 'body[data-ready=true]', timeoutMs: 15000 }
items:
  selector: li.product
  fields:
    id: { attribute: data-id, type: integer, required: true }
    name: { css: a.title }
    url: { css: a.title, attribute: href, type: url }
    price: { css: span.price, type: number }
    tags: { css: span.tag, all: true }
    addedAt: { css: time.added, attribute: datetime, type: timestamp }
limits: { concurrency: ${CONCURRENCY}, delayPerHostMs: 0, maxPages: ${PAGES} }
browser: { gridUrl: '${grid.hubUrl}' }
output: { dir: '${dir}' }
`,
  );
  const started = performance.now();
  const proc = spawnTracked('worker', process.execPath, [join(PACKAGE_DIR, 'src/main.ts'), 'run', specPath], {
    cwd: PACKAGE_DIR,
    env: { WORKER_METRICS_PORT: '0', WORKER_SENTINEL_PATH: join(dir, 'done.json'), WORKER_LOG_LEVEL: 'warn' },
  });
  const exit = await proc.exited;
  const ms = performance.now() - started;
  if (exit.code !== 0) throw new Error(`worker exited ${exit.code}:\n${proc.output().slice(-3000)}`);
  let records = 0;
  for (const file of await readdir(join(dir, 'data')))
    records += (await readFile(join(dir, 'data', file), 'utf8')).trim().split('\n').length;
  return { ms, records };
}

type PageReader = (driver: WebDriver, url: string) => Promise<unknown[]>;

async function bareLoopRun(readPage: PageReader): Promise<{ ms: number; records: number }> {
  const started = performance.now();
  let next = 1;
  const records: unknown[] = [];
  const lane = async () => {
    const driver: WebDriver = await new Builder()
      .usingServer(grid.hubUrl)
      .withCapabilities({ browserName: 'chrome' })
      .build();
    try {
      for (let page = next++; page <= PAGES; page = next++)
        records.push(...(await readPage(driver, `${site.url}/products?page=${page}`)));
    } finally {
      await driver.quit();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return { ms: performance.now() - started, records: records.length };
}

/** One WebDriver call per value. */
async function naivePage(driver: WebDriver, url: string): Promise<unknown[]> {
  await driver.get(url);
  await driver.wait(until.elementLocated(By.css('body[data-ready=true]')), 15_000);
  const records: unknown[] = [];
  for (const item of await driver.findElements(By.css('li.product'))) {
    const title = await item.findElement(By.css('a.title'));
    records.push({
      id: Number(await item.getAttribute('data-id')),
      name: await title.getText(),
      url: await title.getAttribute('href'),
      price: Number(await item.findElement(By.css('span.price')).getText()),
      tags: await Promise.all((await item.findElements(By.css('span.tag'))).map((t) => t.getText())),
      addedAt: await item.findElement(By.css('time.added')).getAttribute('datetime'),
    });
  }
  return records;
}

/** The worker's page script, called bare: wait and read in one WebDriver call. */
async function scriptPage(driver: WebDriver, url: string): Promise<unknown[]> {
  await driver.get(url);
  const field = (css: string, read: object, all = false) => ({ locator: { css }, read, all });
  const reading = (await driver.executeAsyncScript(PAGE_SCRIPT, {
    wait: { for: { css: 'body[data-ready=true]' }, timeoutMs: 15_000 },
    items: {
      locator: { css: 'li.product' },
      fields: [
        ['id', { read: { kind: 'attribute', name: 'data-id' }, all: false }],
        ['name', field('a.title', { kind: 'text' })],
        ['url', field('a.title', { kind: 'attribute', name: 'href' })],
        ['price', field('span.price', { kind: 'text' })],
        ['tags', field('span.tag', { kind: 'text' }, true)],
        ['addedAt', field('time.added', { kind: 'attribute', name: 'datetime' })],
      ],
    },
  })) as { items: unknown[] };
  return reading.items;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
