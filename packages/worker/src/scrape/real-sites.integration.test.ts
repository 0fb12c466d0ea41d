import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FixtureSite,
  type Grid,
  product,
  QUOTE_COUNT,
  quote,
  quoteAuthors,
  startFixtureSite,
  startGrid,
  waitUntil,
} from '@scrapegrid/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scrapeWithGrid } from '../../test/scrape-with-grid.ts';
import { parseJobSpec } from '../spec/parse-job-spec.ts';
import { ScrapeStats } from './scrape-stats.ts';

// The patterns of real sites (issue 14), each against the fixture site's page for it, on a real
// Grid with Chromium. Each test checks the exact records a user gets, not only the status.

const LOGIN_ENV = { QUOTES_USER: 'demo', QUOTES_PASSWORD: 'demo-password' };

describe('the worker on pages built like real sites', () => {
  let grid: Grid;
  let site: FixtureSite;
  let outputRoot: string;
  let runs = 0;

  beforeAll(async () => {
    [grid, site, outputRoot] = await Promise.all([
      startGrid({ nodes: 2, node: { maxSessions: 1 } }),
      startFixtureSite({ products: 200, perPage: 10 }),
      mkdtemp(join(tmpdir(), 'worker-real-sites-')),
    ]);
  });
  afterAll(async () => {
    await grid?.stop();
    await site?.close();
    if (outputRoot) await rm(outputRoot, { recursive: true, force: true });
  });

  /** A spec with the given sections, its own output dir, no politeness delay. */
  const specFor = (sections: string, env: Record<string, string> = {}, browser = '') =>
    parseJobSpec(
      `version: 1\nname: run-${++runs}\n${sections}\nbrowser: { gridUrl: http://127.0.0.1:1, readyTimeoutMs: 120000${browser} }\noutput: { dir: ${join(outputRoot, `run-${runs}`)} }\n`,
      { env },
    );
  const limits = (more = '') =>
    `limits: { delayPerHostMs: 0, retries: 2, backoff: { initialMs: 200, maxMs: 1000 }${more} }`;

  const QUOTE_ITEMS = `items:
  selector: div.quote
  fields:
    id: { attribute: data-id, type: integer, required: true }
    text: { css: span.text, required: true }
    author: small.author
    authorUrl: { css: a.about, attribute: href, type: url, required: true }
    tags: { css: a.tag, all: true }`;
  const AUTHOR_DETAIL = `detail:
  urlField: authorUrl
  wait: { for: .author-details }
  fields:
    authorName: { css: h3.author-title, required: true }
    bornLocation: .author-born-location`;

  test('many quotes, one author page each: every quote written once, its author page read once (concurrency 2)', async () => {
    const spec = specFor(`start: { urls: ['${site.url}/quotes?page=1'] }
${QUOTE_ITEMS}
pagination: { next: li.next > a, maxPages: 10 }
${AUTHOR_DETAIL}
${limits(', concurrency: 2')}`);
    const { result, records } = await scrapeWithGrid(spec, grid.hubUrl);

    expect(records).toHaveLength(QUOTE_COUNT);
    expect(result).toMatchObject({ status: 'succeeded', failures: [], notes: [] });
    const byId = new Map(records.map((r) => [r.id as number, r]));
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual(range(1, QUOTE_COUNT));
    for (const [id, record] of byId) {
      const q = quote(id);
      expect(record).toEqual({
        id,
        text: q.text,
        author: q.author.name,
        authorUrl: `${site.url}/author/${q.author.slug}`,
        tags: q.tags,
        authorName: q.author.name,
        bornLocation: q.author.bornLocation,
      });
    }
    // 50 quotes share 8 author pages, each read exactly once.
    for (const author of quoteAuthors()) expect(site.hits(`/author/${author.slug}`)).toBe(1);
  });

  /** The quotes behind a login: likes (listing) and agents (author pages) need the session. */
  const loginSpec = (limitsMore: string, delayPerHostMs = 0) =>
    specFor(
      `start: { urls: ['${site.url}/quotes?page=1'] }
login:
  url: ${site.url}/quotes/login
  wait: { for: '#username' }
  actions:
    - fill: '#username'
      fromEnv: QUOTES_USER
    - fill: '#password'
      fromEnv: QUOTES_PASSWORD
    - click: '#login'
  success: { for: a.logout }
items:
  selector: div.quote
  fields:
    id: { attribute: data-id, type: integer, required: true }
    authorUrl: { css: a.about, attribute: href, type: url, required: true }
    likes: { css: span.likes, type: integer, required: true }
pagination: { next: li.next > a }
detail:
  urlField: authorUrl
  wait: { for: .author-details }
  fields:
    agent: { css: dd.agent, required: true }
${limits(limitsMore).replace('delayPerHostMs: 0', `delayPerHostMs: ${delayPerHostMs}`)}`,
      LOGIN_ENV,
    );
  const expectLoggedInQuotes = (records: Record<string, unknown>[]) => {
    expect(records.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(range(1, QUOTE_COUNT));
    for (const record of records) {
      const q = quote(record.id as number);
      expect(record).toEqual({
        id: q.id,
        authorUrl: `${site.url}/author/${q.author.slug}`,
        likes: q.likes,
        agent: q.author.agent,
      });
    }
  };

  test('log in once per browser session (CSRF form, concurrency 2); the session sees the gated fields', async () => {
    const before = site.hits('POST /quotes/login');
    const { result, records, stats } = await scrapeWithGrid(loginSpec(', concurrency: 2'), grid.hubUrl, {
      env: LOGIN_ENV,
    });

    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    expectLoggedInQuotes(records);
    // One login per session, not per page: 5 listing pages and 8 author pages read by 2 sessions.
    expect(stats.sessionsOpened).toBe(2);
    expect(site.hits('POST /quotes/login') - before).toBe(2);
  });

  test('a session lost with its node is replaced by one that logs in again; no record lost', async () => {
    const before = site.hits('POST /quotes/login');
    const stats = new ScrapeStats();
    // One session, slowed down so that its node can be killed mid-run.
    const spec = loginSpec(', concurrency: 1', 400);
    const running = scrapeWithGrid(spec, grid.hubUrl, { env: LOGIN_ENV, stats });
    await waitUntil(() => stats.pagesSucceeded >= 3, { what: '3 pages read', timeoutMs: 120_000 });
    const busy = await waitUntil(
      async () => (await grid.status()).nodes.find((n) => n.slots.some((slot) => slot.session)),
      { what: 'the node holding the session', timeoutMs: 10_000 },
    );
    await grid.nodes.find((n) => n.url === busy.uri)!.kill();
    await grid.addNode(); // the later tests keep two nodes
    const { result, records } = await running;

    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    expectLoggedInQuotes(records);
    expect(stats.sessionsReplaced).toBeGreaterThanOrEqual(1);
    expect(stats.sessionsOpened).toBe(1 + stats.sessionsReplaced);
    expect(site.hits('POST /quotes/login') - before).toBe(stats.sessionsOpened);
  });

  test('the bundled examples/quotes.yaml, pointed at this site, writes every quote with its author', async () => {
    const text = (await readFile(new URL('../../examples/quotes.yaml', import.meta.url), 'utf8'))
      .replaceAll('http://127.0.0.1:8080', site.url)
      .replace('http://localhost:4444', 'http://127.0.0.1:1')
      .replace('/tmp/scrapegrid/output-quotes', join(outputRoot, 'example-quotes'));
    const { result, records } = await scrapeWithGrid(parseJobSpec(text, { env: LOGIN_ENV }), grid.hubUrl, {
      env: LOGIN_ENV,
    });
    expect(result).toMatchObject({ status: 'succeeded', failures: [], notes: [] });
    expect(records.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(range(1, QUOTE_COUNT));
    for (const record of records) {
      const q = quote(record.id as number);
      expect(record).toEqual({
        id: q.id,
        text: q.text,
        author: q.author.name,
        authorUrl: `${site.url}/author/${q.author.slug}`,
        tags: q.tags,
        likes: q.likes,
        born: q.author.bornIso.replace('Z', '+00:00'),
        bornLocation: q.author.bornLocation,
        lastSeen: q.author.lastSeenIso.replace('Z', '+00:00'),
        agent: q.author.agent,
      });
    }
  });

  test('a Next button whose click handler navigates: followed by clicking until it is disabled', async () => {
    const spec = specFor(`start: { urls: ['${site.url}/scripted?page=1'] }
wait: { for: li.product }
${PRODUCT_ITEMS}
pagination: { next: button.next, follow: click, maxPages: 10 }
${limits()}`);
    const { result, records } = await scrapeWithGrid(spec, grid.hubUrl);
    expect(result).toMatchObject({ status: 'succeeded', failures: [], notes: [] });
    expect(records).toEqual(range(1, 30).map(productRecord));
  });

  test('a Next link that updates the list in place: clicked up to maxPages', async () => {
    const spec = specFor(`start: { urls: ['${site.url}/in-page'] }
wait: { for: 'body[data-ready=true]' }
${PRODUCT_ITEMS}
pagination: { next: a.next, follow: click, maxPages: 4 }
${limits()}`);
    const { result, records } = await scrapeWithGrid(spec, grid.hubUrl);
    expect(result).toMatchObject({ status: 'succeeded', failures: [], notes: [] });
    expect(records).toEqual(range(1, 40).map(productRecord));
  });

  test('a next control that cannot be followed as a link fails the run loudly, keeping what was read', async () => {
    const spec = specFor(`start: { urls: ['${site.url}/scripted?page=1'] }
wait: { for: li.product }
${PRODUCT_ITEMS}
pagination: { next: button.next }
${limits()}`);
    const { result, records, manifest } = await scrapeWithGrid(spec, grid.hubUrl);
    const message = `pagination.next css "button.next" matched an element on ${site.url}/scripted?page=1 with no href, which is no link to another page; if the page navigates when it is clicked, set pagination.follow: click`;
    expect(result.status).toBe('failed');
    expect(result.reason).toBe(`${message} (pagination.onUnfollowable: warn accepts this)`);
    expect(manifest.status).toBe('failed');
    expect(manifest.notes).toEqual([
      { code: 'NEXT_NOT_FOLLOWABLE', url: `${site.url}/scripted?page=1`, message },
    ]);
    expect(records).toEqual(range(1, 10).map(productRecord));
  });

  test('a "Load more" button clicked until it is gone', async () => {
    const spec = specFor(`start: { urls: ['${site.url}/load-more'] }
wait: { for: li.product }
${PRODUCT_ITEMS}
pagination: { loadMore: button.more }
${limits()}`);
    const { result, records } = await scrapeWithGrid(spec, grid.hubUrl);
    expect(result).toMatchObject({ status: 'succeeded', failures: [], notes: [] });
    expect(records).toEqual(range(1, 45).map(productRecord));
  });

  test('a submit button under a cookie banner and a loading overlay is clicked as a person would', async () => {
    const covered = (browser = '') =>
      specFor(
        `start: { urls: ['${site.url}/covered'] }
wait: { for: '#search' }
actions:
  - click: '#search'
  - wait: { for: li.product }
${PRODUCT_ITEMS}
    window: { xpath: '//span[@id="window"]' }
${limits()}`,
        {},
        browser,
      );
    const atDefault = await scrapeWithGrid(covered(), grid.hubUrl);
    expect(atDefault.result).toMatchObject({ status: 'succeeded', failures: [] });
    // The viewport of the worker's default window, as docs/job-spec.md says.
    expect(atDefault.records).toEqual(
      range(1, 10).map((id) => ({ ...productRecord(id), window: DEFAULT_VIEWPORT })),
    );
    // One submit per visit of the form: a visit retried on a loaded machine (a wait timing out)
    // loads the form and submits it once more, never twice per visit.
    expect(site.hits('/covered')).toBe(1 + atDefault.stats.retries);
    expect(site.hits('/covered/results')).toBe(1 + atDefault.stats.retries);

    const wide = await scrapeWithGrid(covered(', windowSize: { width: 1280, height: 900 }'), grid.hubUrl);
    expect(wide.records).toEqual(range(1, 10).map((id) => ({ ...productRecord(id), window: WIDE_VIEWPORT })));
  });

  test('dates as pages write them: "March 14, 1879" (%B %d, %Y) and "Tue, 3 Feb 26" (%a, %e %b %y)', async () => {
    const authors = quoteAuthors();
    const spec = specFor(`start:
  urls: [${authors.map((a) => `'${site.url}/author/${a.slug}'`).join(', ')}]
items:
  selector: .author-details
  fields:
    name: h3.author-title
    born: { css: .author-born-date, type: timestamp, format: '%B %d, %Y', required: true }
    lastSeen: { css: .last-seen, type: timestamp, format: '%a, %e %b %y', required: true }
${limits()}`);
    const { result, records } = await scrapeWithGrid(spec, grid.hubUrl);
    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    const expected = authors.map((a) => ({
      name: a.name,
      born: a.bornIso.replace('Z', '+00:00'),
      lastSeen: a.lastSeenIso.replace('Z', '+00:00'),
    }));
    const byName = (x: Record<string, unknown>, y: Record<string, unknown>) =>
      String(x.name).localeCompare(String(y.name));
    expect([...records].sort(byName)).toEqual([...expected].sort(byName));
    expect(records.find((r) => r.name === 'Albert Einstein')?.born).toBe('1879-03-14T00:00:00.000+00:00');
  });

  test('robots.txt is obeyed by default, with the spec user agent; robotsTxt: ignore reads the page', async () => {
    const start = `start: { urls: ['${site.url}/quotes?page=1', '${site.url}/private/quotes?page=1'] }`;
    const polite = specFor(`${start}\n${QUOTE_ITEMS}\n${limits()}`);
    const { result, records, manifest } = await scrapeWithGrid(polite, grid.hubUrl);
    expect(result).toMatchObject({ status: 'succeeded', failures: [] });
    expect(records.map((r) => r.id)).toEqual(range(1, 10));
    expect(site.hits('/private/quotes')).toBe(0);
    expect(manifest.notes).toEqual([
      {
        code: 'ROBOTS_DISALLOWED',
        url: `${site.url}/private/quotes?page=1`,
        message: `not read: disallowed by ${site.url}/robots.txt line 2 (robotsTxt: ignore reads it anyway)`,
      },
    ]);

    const rude = specFor(`${start}\nrobotsTxt: ignore\n${QUOTE_ITEMS}\n${limits()}`);
    const ignored = await scrapeWithGrid(rude, grid.hubUrl);
    expect(ignored.result).toMatchObject({ status: 'succeeded', notes: [] });
    expect(ignored.records).toHaveLength(20);
    expect(site.hits('/private/quotes')).toBe(1);
  });

  test('the user agent set in the spec is what the browser sends and what robots.txt is matched against', async () => {
    const items = 'items: { selector: div.quote, fields: { id: { attribute: data-id, type: integer } } }';
    const agent = 'scrapegrid-test/1.0 (+http://example.org/bot)';
    const named = specFor(
      `start: { urls: ['${site.url}/quotes?page=2'] }\n${items}\n${limits()}`,
      {},
      `, userAgent: '${agent}'`,
    );
    const sent = await scrapeWithGrid(named, grid.hubUrl);
    expect(sent.records.map((r) => r.id)).toEqual(range(11, 20));
    expect(site.lastUserAgent('/quotes')).toBe(agent);

    // robots.txt has a group for picky-bot that disallows everything.
    const before = site.hits('/quotes');
    const picky = specFor(
      `start: { urls: ['${site.url}/quotes?page=3'] }\n${items}\n${limits()}`,
      {},
      ", userAgent: 'picky-bot/2.0'",
    );
    const refused = await scrapeWithGrid(picky, grid.hubUrl);
    expect(refused.records).toEqual([]);
    expect(site.hits('/quotes')).toBe(before);
    expect(refused.result).toMatchObject({
      status: 'failed',
      reason:
        '0 records written, fewer than limits.minItems (1); items.selector css "div.quote" matched 0 items on 0 listing pages',
    });
    expect(refused.manifest.notes.map((n) => n.code)).toEqual(['ROBOTS_DISALLOWED', 'TOO_FEW_RECORDS']);
  });

  test('an items selector that matches nothing fails the run and names it; a field that never matched is reported', async () => {
    const redesigned = specFor(`start: { urls: ['${site.url}/quotes?page=1'] }
items:
  selector: div.quote-card
  fields:
    text: span.text
pagination: { next: li.next > a }
${limits()}`);
    const broken = await scrapeWithGrid(redesigned, grid.hubUrl);
    const message = 'items.selector css "div.quote-card" matched nothing on any of the 5 listing pages read';
    expect(broken.result).toMatchObject({ status: 'failed', reason: message });
    expect(broken.manifest).toMatchObject({
      status: 'failed',
      reason: message,
      records: 0,
      notes: [{ code: 'ITEMS_NEVER_MATCHED', message }],
    });

    const loggedOut = specFor(`start: { urls: ['${site.url}/quotes?page=1'] }
items:
  selector: div.quote
  fields:
    id: { attribute: data-id, type: integer }
    likes: { css: span.likes, type: integer }
${limits(', minItems: 10')}`);
    const partial = await scrapeWithGrid(loggedOut, grid.hubUrl);
    expect(partial.result.status).toBe('succeeded');
    expect(partial.records).toEqual(range(1, 10).map((id) => ({ id, likes: null })));
    expect(partial.manifest.notes).toEqual([
      {
        code: 'FIELD_NEVER_MATCHED',
        field: 'likes',
        message:
          'items.fields.likes (css "span.likes") matched nothing on any page: every record has it null',
      },
    ]);

    const tooFew = specFor(`start: { urls: ['${site.url}/quotes?page=1'] }
items:
  selector: div.quote
  fields:
    id: { attribute: data-id, type: integer }
${limits(', minItems: 11')}`);
    const short = await scrapeWithGrid(tooFew, grid.hubUrl);
    expect(short.result).toMatchObject({
      status: 'failed',
      reason:
        '10 records written, fewer than limits.minItems (11); items.selector css "div.quote" matched 10 items on 1 listing pages',
    });
  });
});

// --- helpers ---

// The viewport of the worker's default 1920x1080 window, and of a 1280x900 one: the window less
// 143 px of (emulated) browser chrome, measured with Debian's Chromium 156.
const DEFAULT_VIEWPORT = '1920x937';
const WIDE_VIEWPORT = '1280x757';

const PRODUCT_ITEMS = `items:
  selector: li.product
  fields:
    id: { attribute: data-id, type: integer, required: true }
    name: { css: a.title, required: true }
    price: { css: span.price, type: number }`;

function productRecord(id: number) {
  const p = product(id);
  // The page shows the price with two decimals.
  return { id, name: p.name, price: Number(p.price.toFixed(2)) };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
