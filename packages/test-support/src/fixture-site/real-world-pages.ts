import { escapeHtml, layout } from './pages.ts';
import { QUOTE_COUNT, QUOTES_PER_PAGE, type QuoteAuthor, quotesOnPage } from './quotes.ts';

// Pages with the patterns of real sites that the product pages do not have (issue 14): detail
// pages shared by many items, a login with a CSRF token, next controls driven by script, a "load
// more" button, a submit button under a banner, dates written out in words.

export const QUOTE_PAGES = Math.ceil(QUOTE_COUNT / QUOTES_PER_PAGE);

/** Server-rendered quotes; each links to its author's page; likes only for a logged-in session. */
export function quotesPage(page: number, base: string, loggedIn: boolean): string {
  const items = quotesOnPage(page)
    .map(
      (q) => `<div class="quote" data-id="${q.id}">
<span class="text">${escapeHtml(q.text)}</span>
<span>by <small class="author">${escapeHtml(q.author.name)}</small> <a class="about" href="/author/${q.author.slug}">(about)</a></span>
<div class="tags">${q.tags.map((t) => `<a class="tag" href="/tag/${t}">${t}</a>`).join(' ')}</div>
${loggedIn ? `<span class="likes">${q.likes}</span>` : ''}
</div>`,
    )
    .join('\n');
  const pager =
    page < QUOTE_PAGES
      ? `<ul class="pager"><li class="next"><a href="${base}?page=${page + 1}">Next →</a></li></ul>`
      : '';
  const account = loggedIn
    ? '<a class="logout" href="/quotes/logout">Logout</a>'
    : '<a class="login" href="/quotes/login">Login</a>';
  return layout(`Quotes, page ${page}`, `<header>${account}</header>${items}${pager}`);
}

/** An author page, shared by every quote of the author; the agent only for a logged-in session. */
export function authorPage(author: QuoteAuthor, loggedIn: boolean): string {
  return layout(
    author.name,
    `<div class="author-details"><h3 class="author-title">${escapeHtml(author.name)}</h3>
<p>Born: <span class="author-born-date">${author.bornText}</span> <span class="author-born-location">${escapeHtml(author.bornLocation)}</span></p>
<p>Last seen: <span class="last-seen">${author.lastSeenText}</span></p>
${loggedIn ? `<dl><dt>Agent</dt><dd class="agent">${escapeHtml(author.agent)}</dd></dl>` : ''}</div>`,
  );
}

/** A login form with a one-time CSRF token, as most frameworks render it. */
export function quotesLoginPage(csrfToken: string): string {
  return layout(
    'Login',
    `<form action="/quotes/login" method="post">
<input type="hidden" name="csrf_token" value="${csrfToken}">
<label>Username <input type="text" id="username" name="username"></label>
<label>Password <input type="password" id="password" name="password"></label>
<input type="submit" id="login" value="Login"></form>`,
  );
}

/**
 * Ten products a page and a Next button without href: its click handler navigates, so a scraper
 * reading hrefs sees no next page. The last page's button is disabled.
 */
export function scriptedPagerPage(page: number, pages: number, itemsHtml: string): string {
  return layout(
    `Scripted pager, page ${page}`,
    `<ul class="products">${itemsHtml}</ul>
<button class="next" ${page < pages ? '' : 'disabled'}>Next</button>`,
    page < pages
      ? `document.querySelector('button.next').addEventListener('click', () => { setTimeout(() => { location.href = '/scripted?page=${page + 1}'; }, 100); });`
      : '',
  );
}

/**
 * One document whose Next button fetches the next page and replaces the list in place (no
 * navigation, the URL stays), after a delay and with a "loading" state in between.
 */
export function inPagePagerPage(pages: number): string {
  const script = `
let page = 1;
async function show(n) {
  const list = document.querySelector('ul.products');
  list.innerHTML = '<li class="loading">Loading…</li>';
  const items = await (await fetch('/api/products?page=' + n)).json();
  await new Promise((r) => setTimeout(r, 150));
  list.innerHTML = items.map((p) => p.html).join('');
  const next = document.querySelector('a.next');
  if (n >= ${pages}) next.setAttribute('aria-disabled', 'true');
  document.body.dataset.ready = 'true';
}
document.querySelector('a.next').addEventListener('click', (event) => {
  event.preventDefault();
  if (page >= ${pages}) return;
  page += 1;
  show(page);
});
show(1);`;
  return layout(
    'In-page pager',
    `<ul class="products"></ul><nav><a class="next" href="#">Next</a></nav>`,
    script,
  );
}

/** Ten products, and a "Load more" button that appends ten more per click until `total`, then goes. */
export function loadMorePage(total: number): string {
  const script = `
let loaded = 0;
const button = document.querySelector('button.more');
async function more() {
  button.disabled = true;
  const items = await (await fetch('/api/products?page=' + (loaded / 10 + 1))).json();
  await new Promise((r) => setTimeout(r, 200));
  const left = ${total} - loaded;
  document.querySelector('ul.products').insertAdjacentHTML('beforeend', items.slice(0, left).map((p) => p.html).join(''));
  loaded += Math.min(items.length, left);
  if (loaded >= ${total}) button.remove(); else button.disabled = false;
  document.body.dataset.ready = 'true';
}
button.addEventListener('click', more);
more();`;
  return layout(
    'Load more',
    `<ul class="products"></ul><button class="more" type="button">Load more</button>`,
    script,
  );
}

/**
 * A search form whose submit button sits under a fixed cookie banner at any window size until the
 * page is scrolled, and a loading overlay that covers everything for the first 1.5 s. A bare
 * WebDriver click fails with "element click intercepted".
 */
export function coveredFormPage(): string {
  return layout(
    'Search',
    `<div id="overlay" style="position:fixed;inset:0;background:rgba(255,255,255,.9);z-index:20">Loading…</div>
<form action="/covered/results" method="get" style="position:absolute;top:calc(100vh - 70px);left:10px">
<input name="q" id="q" value="all"><button id="search" type="submit">Search</button></form>
<div id="cookie-banner" style="position:fixed;left:0;right:0;bottom:0;height:120px;background:#222;color:#fff;z-index:10">We use cookies.</div>
<div style="height:250vh"></div>`,
    `setTimeout(() => document.getElementById('overlay').remove(), 1500);`,
  );
}

/**
 * The results, and the viewport the page is laid out in (`#window`, innerWidth x innerHeight, e.g.
 * 1920x937 at the worker's default 1920x1080 window). Not the outer size: Chromium 156 headless reports outerWidth and outerHeight as 0 to a
 * script that runs while a page reached by a form submit loads (measured), while the viewport is
 * right, and the viewport is what a layout (and a covering banner) depends on.
 */
export function coveredResultsPage(itemsHtml: string): string {
  return layout(
    'Results',
    `<p>Window: <span id="window"></span></p><ul class="products">${itemsHtml}</ul>`,
    `document.getElementById('window').textContent = window.innerWidth + 'x' + window.innerHeight;`,
  );
}

/** Crawlers may read the quotes, not the private copy of them. */
export const ROBOTS_TXT = `User-agent: *
Disallow: /private/

User-agent: picky-bot
Disallow: /
`;
