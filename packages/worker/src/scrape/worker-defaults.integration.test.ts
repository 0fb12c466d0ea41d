import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureSite, type Grid, product, startFixtureSite, startGrid } from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scrapeWithGrid } from '../../test/scrape-with-grid.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { ScrapeStats } from './scrape-stats.ts';

// The defaults a person expects (issue 22), on a real Grid with Chromium: a desktop-sized window,
// and a page whose content does not fit the spec failing at once instead of after every retry.

describe('the worker defaults, on a real Grid', () => {
  let grid: Grid;
  let site: FixtureSite;
  let outputRoot: string;
  let runs = 0;

  beforeAll(async () => {
    [grid, site, outputRoot] = await Promise.all([
      startGrid({ nodes: 1, node: { maxSessions: 1 } }),
      startFixtureSite({ products: 30, perPage: 10 }),
      mkdtemp(join(tmpdir(), 'worker-defaults-')),
    ]);
  });
  afterAll(async () => {
    await grid?.stop();
    await site?.close();
    if (outputRoot) await rm(outputRoot, { recursive: true, force: true });
  });

  /** A spec with the given sections, its own output dir, no politeness delay. */
  const specFor = (sections: string, browser = '') =>
    parseJobSpec(
      `version: 1\nname: run-${++runs}\n${sections}\nbrowser: { gridUrl: http://127.0.0.1:1, readyTimeoutMs: 120000${browser} }\noutput: { dir: ${join(outputRoot, `run-${runs}`)} }\n`,
      { env: {} },
    );

  test('the window is 1920x1080 unless browser.windowSize says otherwise (the page reports its viewport)', async () => {
    // The results page writes window.innerWidth x innerHeight into #window as it loads.
    const windowOf = async (browser: string) => {
      const spec = specFor(
        `start: { urls: ['${site.url}/covered/results?q=all'] }
items:
  selector: li.product
  fields:
    id: { attribute: data-id, type: integer, required: true }
    window: { xpath: '//span[@id="window"]' }
limits: { delayPerHostMs: 0, retries: 0, minItems: 1 }`,
        browser,
      );
      const { result, records } = await scrapeWithGrid(spec, grid.hubUrl);
      expect(result).toMatchObject({ status: 'succeeded', failures: [] });
      expect(records).toHaveLength(10);
      return [...new Set(records.map((r) => r.window))];
    };
    // The outer window less 143 px of (emulated) browser chrome, as docs/job-spec.md says.
    expect(await windowOf('')).toEqual(['1920x937']);
    expect(await windowOf(', windowSize: { width: 1024, height: 768 }')).toEqual(['1024x625']);
  });

  // Backoff of 5 s before the first retry: a page that was retried cannot finish within it.
  const noRetryLimits =
    'limits: { delayPerHostMs: 0, retries: 3, backoff: { initialMs: 5000 }, maxFailedPages: 0 }';
  const listing = (page: number, fields: string, more = '') =>
    specFor(`start: { urls: ['${site.url}/products?page=${page}'] }
wait: { for: 'body[data-ready=true]' }
${more}
items:
  selector: li.product
  fields:
    id: { attribute: data-id, type: integer, required: true }
${fields}
${noRetryLimits}`);

  test.each([
    {
      what: 'a value that does not parse in its declared type',
      page: 1,
      fields: '    name: { css: a.title, type: integer }',
      more: '',
      error: `field name: "${product(1).name}" is not an integer`,
    },
    {
      what: 'a required field whose selector matches nothing',
      page: 2,
      fields: '    sku: { css: span.sku, required: true }',
      more: '',
      error: 'field sku: required, but nothing matched',
    },
    {
      what: 'a click target that matches nothing',
      page: 3,
      fields: '',
      more: "actions:\n  - click: '#no-such-button'",
      error: 'cannot click css "#no-such-button": not found',
    },
  ])('$what fails its page at once: 1 load, 1 attempt, no backoff', async ({ page, fields, more, error }) => {
    const spec = listing(page, fields, more);
    // The click waits for its target until the page timeout; keep that short.
    spec.limits.pageTimeoutMs = 2_000;
    const stats = new ScrapeStats();
    const outcomes: [string, number][] = [];
    stats.onPage((seconds, outcome) => outcomes.push([outcome, seconds]));
    const loadsBefore = site.hits('/products');
    const started = Date.now();
    const { result } = await scrapeWithGrid(spec, grid.hubUrl, { stats });

    expect(site.hits('/products') - loadsBefore).toBe(1);
    expect(result).toMatchObject({
      status: 'failed',
      reason: '1 pages failed, more than limits.maxFailedPages (0)',
      failures: [{ url: `${site.url}/products?page=${page}`, error, attempts: 1 }],
    });
    expect(outcomes.map(([outcome]) => outcome)).toEqual(['failed']);
    expect(stats.retries).toBe(0);
    expect(outcomes[0]![1]).toBeLessThan(5);
    expect(Date.now() - started).toBeLessThan(30_000); // with the session opened and closed
  });

  test('a failure that can change (an HTTP error) is still retried with backoff', async () => {
    const spec = specFor(`start: { urls: ['${site.url}/flaky/defaults?fail=2'] }
items:
  selector: li.product
  fields:
    id: { attribute: data-id, type: integer, required: true }
limits: { delayPerHostMs: 0, retries: 3, backoff: { initialMs: 200, maxMs: 400 } }`);
    const stats = new ScrapeStats();
    const { result, records } = await scrapeWithGrid(spec, grid.hubUrl, { stats });

    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    expect(records).toEqual([{ id: 1 }]);
    expect(site.hits('/flaky/defaults')).toBe(3);
    expect(stats.retries).toBe(2);
  });
});
