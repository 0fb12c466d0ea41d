import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FixtureSite,
  type Grid,
  product,
  startFixtureSite,
  startGrid,
  waitUntil,
} from '@scrapegrid/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scrapeWithGrid } from '../../test/scrape-with-grid.ts';
import type { JobSpec } from '../spec/job-spec.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { ScrapeStats } from './scrape-stats.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('scrapeJob against the fixture site on a real Grid', () => {
  let grid: Grid;
  let site: FixtureSite;
  let outputRoot: string;

  beforeAll(async () => {
    [grid, site, outputRoot] = await Promise.all([
      startGrid({ nodes: 2, node: { maxSessions: 1 } }),
      startFixtureSite({ products: 200, perPage: 10 }),
      mkdtemp(join(tmpdir(), 'worker-scrape-')),
    ]);
  });
  afterAll(async () => {
    await grid?.stop();
    await site?.close();
    if (outputRoot) await rm(outputRoot, { recursive: true, force: true });
  });

  test('reads JavaScript-rendered listings page after page, joins detail pages, types every field', async () => {
    const spec = specFor(site, outputRoot, 'detail', {
      start: `start: { urls: ['${site.url}/products?page=1'] }`,
      pagination: 'pagination: { next: a.next, maxPages: 3 }',
      detail: DETAIL,
    });
    const { result, records, stats } = await scrape(spec, grid);

    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    expect(records.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(range(1, 30));
    const p = product(7);
    expect(records.find((r) => r.id === 7)).toEqual({
      id: 7,
      name: p.name,
      url: `${site.url}/product/7`,
      price: p.price,
      tags: p.tags,
      addedAt: p.addedAt.replace('Z', '+00:00'),
      description: p.description,
      stock: p.stock,
      available: p.available,
      rating: p.rating,
      specs: p.specs,
    });
    // 3 listing pages and 30 detail pages, each visited exactly once.
    expect(stats.pagesSucceeded).toBe(33);
    expect(site.hits('/products')).toBeGreaterThanOrEqual(3);
    for (const id of range(1, 30)) expect(site.hits(`/product/${id}`)).toBe(1);
  });

  test('retries a flaky page until it answers; records a page that always fails, with its snapshots', async () => {
    const spec = specFor(site, outputRoot, 'failures', {
      start: `start: { urls: ['${site.url}/flaky/f1?fail=2', '${site.url}/broken'] }`,
      wait: "wait: { for: 'ul.products', timeoutMs: 3000 }",
      limits: 'retries: 2, maxFailedPages: 1, backoff: { initialMs: 100, maxMs: 500 }',
    });
    const { result, records, stats } = await scrape(spec, grid);

    expect(result.status).toBe('succeeded'); // one failed page is within maxFailedPages: 1
    expect(records.map((r) => r.id)).toEqual([1]);
    expect(site.hits('/flaky/f1')).toBe(3);
    expect(site.hits('/broken')).toBe(3);
    expect(stats.retries).toBe(4);
    expect(result.failures).toHaveLength(1);
    const failure = result.failures[0]!;
    expect(failure).toMatchObject({
      url: `${site.url}/broken`,
      attempts: 3,
      error: expect.stringContaining('HTTP 500'),
    });
    const saved = await readdir(join(spec.output.dir, 'failures'));
    expect(saved.sort()).toEqual([
      expect.stringMatching(/_broken\.html$/),
      expect.stringMatching(/_broken\.png$/),
    ]);
    expect(await readFile(join(spec.output.dir, failure.html!), 'utf8')).toContain('always broken');
    expect((await readFile(join(spec.output.dir, failure.screenshot!))).subarray(1, 4).toString()).toBe(
      'PNG',
    );
  });

  test('fails the job once more pages fail for good than limits.maxFailedPages', async () => {
    const spec = specFor(site, outputRoot, 'threshold', {
      start: `start: { urls: ['${site.url}/broken', '${site.url}/flaky/f2?fail=99'] }`,
      wait: "wait: { for: 'ul.products', timeoutMs: 3000 }",
      limits: 'retries: 1, maxFailedPages: 1, backoff: { initialMs: 100, maxMs: 200 }',
    });
    const { result } = await scrape(spec, grid);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('2 pages failed, more than limits.maxFailedPages (1)');
  });

  test('fills a login form from the environment, clicks, and scrolls an infinite page', async () => {
    const login = specFor(site, outputRoot, 'login', {
      start: `start: { urls: ['${site.url}/login'] }`,
      wait: "wait: { for: '#username' }",
      actions: `actions:
  - fill: '#username'
    fromEnv: SHOP_USER
  - fill: '#password'
    fromEnv: SHOP_PASSWORD
  - click: '#login'
  - wait: { for: li.order }`,
      items:
        'items: { selector: li.order, fields: { id: { attribute: data-id, type: integer }, total: { css: .total, type: number } } }',
      env: { SHOP_USER: 'demo', SHOP_PASSWORD: 'demo-password' },
    });
    const lines: string[] = [];
    const capture = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const orders = await scrape(
      login,
      grid,
      { SHOP_USER: 'demo', SHOP_PASSWORD: 'demo-password' },
      undefined,
      capture,
    );
    expect(orders.result.status).toBe('succeeded');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain('demo-password'); // the secret is typed, never logged
    expect(orders.records).toEqual([
      { id: 1, total: 10 },
      { id: 2, total: 20 },
      { id: 3, total: 30 },
    ]);

    const infinite = specFor(site, outputRoot, 'infinite', {
      start: `start: { urls: ['${site.url}/infinite'] }`,
      wait: "wait: { for: 'li.product' }",
      actions: `actions:
  - scroll: { times: 20, pauseMs: 300, untilCount: { selector: li.product, count: 50 } }`,
    });
    const feed = await scrape(infinite, grid);
    expect(feed.result.status).toBe('succeeded');
    expect(feed.records.map((r) => r.id)).toEqual(range(1, 50));
  });

  test('a node killed mid-job: its session is replaced, its page retried, no record lost or duplicated', async () => {
    const spec = specFor(site, outputRoot, 'node-killed', {
      start: `start: { urls: ['${site.url}/products?page=1'] }`,
      pagination: 'pagination: { next: a.next, maxPages: 20 }',
      detail: DETAIL,
      limits: 'concurrency: 2, retries: 4, backoff: { initialMs: 500, maxMs: 4000 }',
    });
    const stats = new ScrapeStats();
    const running = scrape(spec, grid, {}, stats);
    // Kill a node while both sessions are busy reading pages.
    await waitUntil(() => stats.pagesSucceeded >= 15, { what: '15 pages read', timeoutMs: 120_000 });
    const busy = await waitUntil(
      async () => (await grid.status()).nodes.find((n) => n.slots.some((s) => s.session)),
      { what: 'a node holding a session', timeoutMs: 10_000 },
    );
    const victim = grid.nodes.find((n) => n.url === busy.uri)!;
    await victim.kill();
    // A fresh node takes the place of the dead one, as a Deployment would bring one back.
    await grid.addNode();
    const { result, records } = await running;

    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    expect(stats.sessionsReplaced).toBeGreaterThanOrEqual(1);
    const ids = records.map((r) => Number(r.id)).sort((a, b) => a - b);
    expect(ids).toEqual(range(1, 200));
  });
});

// --- helpers ---

const DETAIL = `detail:
  urlField: url
  wait: { for: .description }
  fields:
    description: .description
    stock: { css: dd.stock, type: integer }
    available: { css: dd.available, type: boolean }
    rating: { css: dd.rating, type: number }
    specs: { css: script.specs, read: html, type: json }`;

interface SpecParts {
  start: string;
  wait?: string;
  actions?: string;
  items?: string;
  pagination?: string;
  detail?: string;
  limits?: string;
  env?: Record<string, string>;
}

function specFor(site: FixtureSite, outputRoot: string, name: string, parts: SpecParts): JobSpec {
  const yaml = [
    'version: 1',
    `name: ${name}`,
    parts.start,
    parts.wait ?? "wait: { for: 'body[data-ready=true]', timeoutMs: 15000 }",
    parts.actions ?? '',
    parts.items ??
      `items:
  selector: li.product
  fields:
    id: { attribute: data-id, type: integer, required: true }
    name: { css: a.title, required: true }
    url: { css: a.title, attribute: href, type: url, required: true }
    price: { css: span.price, type: number }
    tags: { css: span.tag, all: true }
    addedAt: { css: time.added, attribute: datetime, type: timestamp }`,
    parts.pagination ?? '',
    parts.detail ?? '',
    `limits: { delayPerHostMs: 0, ${parts.limits ?? 'concurrency: 2, retries: 2, backoff: { initialMs: 200, maxMs: 1000 }'} }`,
    'browser: { gridUrl: http://127.0.0.1:1, readyTimeoutMs: 60000 }',
    `output: { dir: ${join(outputRoot, name)} }`,
  ].join('\n');
  void site;
  return parseJobSpec(yaml, { env: parts.env ?? {} });
}

/** The engine with the real writer; returns what the user gets (test/scrape-with-grid.ts). */
async function scrape(
  spec: JobSpec,
  grid: Grid,
  env: Record<string, string> = {},
  stats = new ScrapeStats(),
  log = logger,
) {
  const { result, records } = await scrapeWithGrid(spec, grid.hubUrl, { env, stats, logger: log });
  return { result, stats, records };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
