/**
 * Benchmark: the same 200 fixture listing pages (10 products each, rendered by JavaScript), through
 * the same real Grid with the same concurrency, scraped
 *   - by the worker program (`node src/main.ts run`, JSON Lines written, no Embulk), and
 *   - by the baseline: a bare selenium-webdriver loop reading each value with its own WebDriver call
 *     (findElements + getText/getAttribute), as scrapers are commonly written.
 * Prints each run, the median wall time of each and the ratio worker / baseline (the worker's
 * overhead; below 1 means the worker is faster). BENCH_RUNS (default 3), BENCH_CONCURRENCY (2).
 *
 *   node bench/scrape-vs-bare-loop.bench.ts   (or: pnpm --filter @scrapegrid/worker bench, both benches)
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked, startFixtureSite, startGrid } from '@scrapegrid/test-support';
import { Builder, By, until, type WebDriver } from 'selenium-webdriver';

const PAGES = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? '3');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? '2');
const PACKAGE_DIR = new URL('..', import.meta.url).pathname;

const [grid, site, root] = await Promise.all([
  startGrid({ nodes: 1, node: { maxSessions: CONCURRENCY } }),
  startFixtureSite({ products: PAGES * 10, perPage: 10 }),
  mkdtemp(join(tmpdir(), 'worker-bench-')),
]);
try {
  const worker: number[] = [];
  const bare: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const w = await workerRun(run);
    const b = await bareLoopRun();
    worker.push(w.ms);
    bare.push(b.ms);
    console.log(
      `run ${run}: worker ${(w.ms / 1000).toFixed(1)} s (${w.records} records), bare loop ${(b.ms / 1000).toFixed(1)} s (${b.records} records)`,
    );
  }
  const [mw, mb] = [median(worker), median(bare)];
  console.log(`\n${PAGES} pages, ${PAGES * 10} records, concurrency ${CONCURRENCY}, ${RUNS} runs each`);
  console.log(`worker (one executeScript per page):  median ${(mw / 1000).toFixed(2)} s`);
  console.log(`baseline (bare selenium-webdriver):    median ${(mb / 1000).toFixed(2)} s`);
  console.log(`ratio worker / baseline: ${(mw / mb).toFixed(2)}`);
} finally {
  await grid.stop();
  await site.close();
  await rm(root, { recursive: true, force: true });
}

// --- internal ---

async function workerRun(run: number): Promise<{ ms: number; records: number }> {
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

async function bareLoopRun(): Promise<{ ms: number; records: number }> {
  const started = performance.now();
  let next = 1;
  const records: unknown[] = [];
  const lane = async () => {
    const driver: WebDriver = await new Builder()
      .usingServer(grid.hubUrl)
      .withCapabilities({ browserName: 'chrome' })
      .build();
    try {
      for (let page = next++; page <= PAGES; page = next++) {
        await driver.get(`${site.url}/products?page=${page}`);
        await driver.wait(until.elementLocated(By.css('body[data-ready=true]')), 15_000);
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
      }
    } finally {
      await driver.quit();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return { ms: performance.now() - started, records: records.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
