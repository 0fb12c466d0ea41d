import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FixtureSite, startFixtureSite } from './server.ts';

describe('the fixture site', () => {
  let site: FixtureSite;
  beforeAll(async () => {
    site = await startFixtureSite({ products: 25, perPage: 10 });
  });
  afterAll(() => site.close());

  const get = (path: string, init?: RequestInit) =>
    fetch(`${site.url}${path}`, { redirect: 'manual', ...init });

  test('listing pages render nothing without JavaScript and expose their items through the API', async () => {
    const html = await (await get('/products?page=1')).text();
    expect(html).toContain('Loading…');
    expect(html).not.toContain('class="product"');
    const last = (await (await get('/api/products?page=3')).json()) as Array<{ id: number }>;
    expect(last.map((p) => p.id)).toEqual([21, 22, 23, 24, 25]);
    expect(site.pages).toBe(3);
    expect((await get('/products?page=4')).status).toBe(404);
  });

  test('only the last page has no next link', async () => {
    expect(await (await get('/products?page=2')).text()).toContain('/products?page=3');
    expect(await (await get('/products?page=3')).text()).not.toContain('/products?page=4');
  });

  test('a flaky page fails the given number of times per key, then works', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/flaky/a?fail=2')).status);
    expect(statuses).toEqual([500, 500, 200, 200]);
    expect((await get('/flaky/b?fail=2')).status).toBe(500);
    expect(site.hits('/flaky/a')).toBe(4);
  });

  test('detail pages are deterministic and escape markup', async () => {
    const html = await (await get('/product/7')).text();
    expect(html).toContain('<dd class="stock">11</dd>');
    expect(html).toContain('&#60;markup&#62;');
    expect((await get('/product/26')).status).toBe(404);
  });

  test('the account page needs a login with the right credentials', async () => {
    expect((await get('/account')).headers.get('location')).toBe('/login');
    const wrong = await get('/login', { method: 'POST', body: 'username=demo&password=nope' });
    expect(wrong.status).toBe(401);
    const ok = await get('/login', { method: 'POST', body: 'username=demo&password=demo-password' });
    expect(ok.status).toBe(303);
    const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
    expect(await (await get('/account', { headers: { cookie } })).text()).toContain('class="order"');
  });

  test('quotes share author pages; a CSRF-checked login unlocks likes and agents', async () => {
    const page = await (await get('/quotes?page=1')).text();
    expect(page.match(/class="quote"/g)).toHaveLength(10);
    expect(page.match(/href="\/author\/albert-einstein"/g)?.length).toBeGreaterThan(1);
    expect(page).not.toContain('class="likes"');
    const author = await (await get('/author/albert-einstein')).text();
    expect(author).toContain('<span class="author-born-date">March 14, 1879</span>');
    expect(author).toContain('<span class="last-seen">Tue, 3 Feb 26</span>');
    expect(author).not.toContain('class="agent"');

    const form = await (await get('/quotes/login')).text();
    const csrf = /name="csrf_token" value="(\w+)"/.exec(form)![1]!;
    const body = `csrf_token=${csrf}&username=demo&password=demo-password`;
    const noToken = await get('/quotes/login', {
      method: 'POST',
      body: 'username=demo&password=demo-password',
    });
    expect(noToken.status).toBe(403);
    const ok = await get('/quotes/login', { method: 'POST', body });
    expect(ok.status).toBe(303);
    expect((await get('/quotes/login', { method: 'POST', body })).status).toBe(403); // token used once
    const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
    expect(await (await get('/quotes?page=1', { headers: { cookie } })).text()).toContain('class="likes"');
    expect(await (await get('/author/jane-austen', { headers: { cookie } })).text()).toContain(
      '<dd class="agent">agent-of-jane-austen@example.test</dd>',
    );
    expect(site.hits('POST /quotes/login')).toBe(3);
  });

  test('robots.txt disallows the private copy of the quotes', async () => {
    expect(await (await get('/robots.txt')).text()).toContain('Disallow: /private/');
    expect((await get('/private/quotes?page=5')).status).toBe(200);
    expect(await (await get('/quotes?page=5')).text()).not.toContain('class="next"');
  });

  test('the slow page waits as long as asked', async () => {
    const started = Date.now();
    expect((await get('/slow?ms=300')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
