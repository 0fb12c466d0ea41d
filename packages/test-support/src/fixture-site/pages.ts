import { type Product, product } from './catalogue.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function layout(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

export function productItemHtml(p: Product): string {
  return `<li class="product" data-id="${p.id}">
<a class="title" href="/product/${p.id}">${escapeHtml(p.name)}</a>
<span class="price">${p.price.toFixed(2)}</span>
<span class="tags">${p.tags.map((t) => `<span class="tag">${t}</span>`).join('')}</span>
<time class="added" datetime="${p.addedAt}">${p.addedAt.slice(0, 10)}</time>
</li>`;
}

/**
 * A listing page whose items exist only after JavaScript renders them, `renderDelayMs` after
 * load, from /api/products: a scraper that reads too early finds "Loading…".
 */
export function listingPage(page: number, pages: number, renderDelayMs: number): string {
  const script = `
setTimeout(async () => {
  const res = await fetch('/api/products?page=${page}');
  const items = await res.json();
  const list = document.createElement('ul');
  list.className = 'products';
  list.innerHTML = items.map((p) => p.html).join('');
  document.getElementById('app').replaceChildren(list);
  ${page < pages ? `const next = document.createElement('a'); next.className = 'next'; next.href = '/products?page=${page + 1}'; next.textContent = 'Next'; document.getElementById('pager').append(next);` : ''}
  document.body.dataset.ready = 'true';
}, ${renderDelayMs});`;
  return layout(
    `Products, page ${page} of ${pages}`,
    `<div id="app">Loading…</div><nav id="pager"></nav>`,
    script,
  );
}

export function detailPage(id: number): string {
  const p = product(id);
  return layout(
    p.name,
    `<article class="detail" data-id="${p.id}">
<p class="description">${escapeHtml(p.description)}</p>
<dl><dt>Stock</dt><dd class="stock">${p.stock}</dd>
<dt>Available</dt><dd class="available">${p.available ? 'yes' : 'no'}</dd>
<dt>Rating</dt><dd class="rating">${p.rating}</dd></dl>
<script type="application/json" class="specs">${JSON.stringify(p.specs)}</script>
</article>`,
  );
}

/** Ten items per scroll, up to `total`: an infinite-scroll page. */
export function infinitePage(total: number): string {
  const script = `
let loaded = 0;
async function more() {
  if (loaded >= ${total}) return;
  const res = await fetch('/api/products?page=' + (loaded / 10 + 1));
  const items = await res.json();
  document.getElementById('feed').insertAdjacentHTML('beforeend', items.map((p) => p.html).join(''));
  loaded += items.length;
  document.body.dataset.loaded = String(loaded);
}
window.addEventListener('scroll', () => {
  if (window.innerHeight + window.scrollY >= document.body.scrollHeight - 50) more();
});
more();`;
  return layout(
    'Infinite feed',
    `<ul id="feed" class="products"></ul><div style="height:2000px"></div>`,
    script,
  );
}

export function loginPage(): string {
  return layout(
    'Log in',
    `<form method="post" action="/login"><input name="username" id="username">
<input name="password" id="password" type="password"><button id="login" type="submit">Log in</button></form>`,
  );
}

export function accountPage(username: string): string {
  return layout(
    `Account of ${username}`,
    `<ul class="orders">${[1, 2, 3].map((n) => `<li class="order" data-id="${n}"><span class="total">${n * 10}.00</span></li>`).join('')}</ul>`,
  );
}
