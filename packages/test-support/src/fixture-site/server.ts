import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { product, productsOnPage } from './catalogue.ts';
import {
  accountPage,
  detailPage,
  infinitePage,
  layout,
  listingPage,
  loginPage,
  productItemHtml,
} from './pages.ts';
import { quoteAuthor } from './quotes.ts';
import {
  authorPage,
  coveredFormPage,
  coveredResultsPage,
  inPagePagerPage,
  loadMorePage,
  QUOTE_PAGES,
  quotesLoginPage,
  quotesPage,
  ROBOTS_TXT,
  scriptedPagerPage,
} from './real-world-pages.ts';

export interface FixtureSiteOptions {
  /** Products in the catalogue (default 200). */
  products?: number;
  perPage?: number;
  /** Delay before a listing page's JavaScript renders its items (default 150 ms). */
  renderDelayMs?: number;
  /** Accepted login for /login (default demo / demo-password). */
  credentials?: { username: string; password: string };
  port?: number;
  /** Address to listen on (default 127.0.0.1); the local cluster's pods reach the host at its bridge address. */
  host?: string;
}

export interface FixtureSite {
  readonly url: string;
  readonly pages: number;
  /**
   * Requests per path (without query string), to check that no page is fetched twice; POST
   * requests are also counted under `POST <path>`.
   */
  hits(path: string): number;
  /** The User-Agent header of the last request for the path. */
  lastUserAgent(path: string): string | undefined;
  close(): Promise<void>;
}

/**
 * The bundled demo/fixture web site, on 127.0.0.1. Routes:
 * - /products?page=N   listing rendered by JavaScript after a delay; a.next links to N+1
 * - /product/ID        detail page (stock, availability, rating, JSON specs)
 * - /flaky/KEY?fail=N  the first N requests for KEY get an error page, then the real content
 * - /broken            always an error page (HTTP 500, no content)
 * - /slow?ms=N         answers after N ms
 * - /infinite          infinite scroll, 10 items per scroll, 50 in all
 * - /login, /account   a form login; /account lists orders only after a successful login
 * Patterns of real sites (real-world-pages.ts):
 * - /quotes?page=N      50 quotes by 8 authors, 10 a page, a.next links; likes only when logged in
 * - /private/quotes     the same, disallowed by /robots.txt
 * - /author/SLUG        an author page shared by many quotes (long-form dates; agent when logged in)
 * - /quotes/login       a login form with a one-time CSRF token; the session cookie is qsession
 * - /scripted?page=N    3 pages, a Next button whose click handler navigates (no href)
 * - /in-page            5 pages in one document: Next replaces the list in place
 * - /load-more          45 products, 10 at first, a Load more button adds 10 per click
 * - /covered            a search form whose submit button is under a banner and an overlay
 */
export async function startFixtureSite(options: FixtureSiteOptions = {}): Promise<FixtureSite> {
  const total = options.products ?? 200;
  const perPage = options.perPage ?? 10;
  const pages = Math.ceil(total / perPage);
  const renderDelayMs = options.renderDelayMs ?? 150;
  const credentials = options.credentials ?? { username: 'demo', password: 'demo-password' };
  const hitCounts = new Map<string, number>();
  const flakyCounts = new Map<string, number>();
  const sessions = new Set<string>();
  const quoteSessions = new Set<string>();
  const csrfTokens = new Set<string>();
  const userAgents = new Map<string, string>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const path = url.pathname;
    hitCounts.set(path, (hitCounts.get(path) ?? 0) + 1);
    if (req.method === 'POST') hitCounts.set(`POST ${path}`, (hitCounts.get(`POST ${path}`) ?? 0) + 1);
    if (req.headers['user-agent']) userAgents.set(path, req.headers['user-agent']);
    const quoteSession = /qsession=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
    const loggedIn = quoteSession !== undefined && quoteSessions.has(quoteSession);
    const html = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    };
    const pageParam = Number(url.searchParams.get('page') ?? '1');

    if (path === '/') {
      return html(200, layout('Fixture shop', `<a class="start" href="/products?page=1">Products</a>`));
    }
    if (path === '/products') {
      if (!Number.isInteger(pageParam) || pageParam < 1 || pageParam > pages)
        return html(404, layout('Not found', ''));
      return html(200, listingPage(pageParam, pages, renderDelayMs));
    }
    if (path === '/api/products') {
      const items = productsOnPage(pageParam, perPage, total).map((p) => ({
        id: p.id,
        html: productItemHtml(p),
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(items));
    }
    const detail = /^\/product\/(\d+)$/.exec(path);
    if (detail) {
      const id = Number(detail[1]);
      if (id < 1 || id > total) return html(404, layout('Not found', ''));
      return html(200, detailPage(id));
    }
    const flaky = /^\/flaky\/([\w-]+)$/.exec(path);
    if (flaky) {
      const key = flaky[1]!;
      const seen = (flakyCounts.get(key) ?? 0) + 1;
      flakyCounts.set(key, seen);
      if (seen <= Number(url.searchParams.get('fail') ?? '1'))
        return html(500, layout('Server error', '<p class="error">try again</p>'));
      return html(200, layout(`Flaky ${key}`, `<ul class="products">${productItemHtml(product(1))}</ul>`));
    }
    if (path === '/broken') return html(500, layout('Server error', '<p class="error">always broken</p>'));
    if (path === '/slow') {
      await sleep(Math.min(Number(url.searchParams.get('ms') ?? '3000'), 60_000));
      return html(200, layout('Slow page', `<ul class="products">${productItemHtml(product(2))}</ul>`));
    }
    if (path === '/infinite') return html(200, infinitePage(50));
    if (path === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(ROBOTS_TXT);
    }
    if (path === '/quotes' || path === '/private/quotes') {
      if (!Number.isInteger(pageParam) || pageParam < 1 || pageParam > QUOTE_PAGES)
        return html(404, layout('Not found', ''));
      return html(200, quotesPage(pageParam, path, loggedIn));
    }
    const authorMatch = /^\/author\/([\w-]+)$/.exec(path);
    if (authorMatch) {
      const author = quoteAuthor(authorMatch[1]!);
      return author ? html(200, authorPage(author, loggedIn)) : html(404, layout('Not found', ''));
    }
    if (path === '/quotes/login' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const csrf = form.get('csrf_token') ?? '';
      // One-time tokens: a replayed or missing token is refused, as frameworks do.
      if (!csrfTokens.delete(csrf))
        return html(403, layout('Forbidden', '<p class="error">bad CSRF token</p>'));
      if (form.get('username') !== credentials.username || form.get('password') !== credentials.password)
        return html(401, layout('Login failed', '<p class="error">wrong credentials</p>'));
      const token = randomBytes(8).toString('hex');
      quoteSessions.add(token);
      return html(303, '', {
        location: '/quotes?page=1',
        'set-cookie': `qsession=${token}; Path=/; HttpOnly`,
      });
    }
    if (path === '/quotes/login') {
      const csrf = randomBytes(12).toString('hex');
      csrfTokens.add(csrf);
      return html(200, quotesLoginPage(csrf));
    }
    if (path === '/scripted') {
      const scriptedPages = 3;
      if (!Number.isInteger(pageParam) || pageParam < 1 || pageParam > scriptedPages)
        return html(404, layout('Not found', ''));
      const items = productsOnPage(pageParam, 10, total).map(productItemHtml).join('');
      return html(200, scriptedPagerPage(pageParam, scriptedPages, items));
    }
    if (path === '/in-page') return html(200, inPagePagerPage(5));
    if (path === '/load-more') return html(200, loadMorePage(45));
    if (path === '/covered') return html(200, coveredFormPage());
    if (path === '/covered/results')
      return html(200, coveredResultsPage(productsOnPage(1, 10, total).map(productItemHtml).join('')));
    if (path === '/login' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('username') === credentials.username && form.get('password') === credentials.password) {
        const token = `s${sessions.size + 1}`;
        sessions.add(token);
        return html(303, '', { location: '/account', 'set-cookie': `session=${token}; Path=/; HttpOnly` });
      }
      return html(401, layout('Log in failed', '<p class="error">wrong credentials</p>'));
    }
    if (path === '/login') return html(200, loginPage());
    if (path === '/account') {
      const token = /session=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
      if (!token || !sessions.has(token)) return html(303, '', { location: '/login' });
      return html(200, accountPage(credentials.username));
    }
    return html(404, layout('Not found', ''));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    pages,
    hits: (path) => hitCounts.get(path) ?? 0,
    lastUserAgent: (path) => userAgents.get(path),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// --- internal ---

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
