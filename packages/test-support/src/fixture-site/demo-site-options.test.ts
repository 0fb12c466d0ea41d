import { describe, expect, test } from 'vitest';
import { demoSiteOptions } from './demo-site-options.ts';
import { startFixtureSite } from './server.ts';

describe('demoSiteOptions', () => {
  test('unset or blank: the fixture defaults (200 products)', () => {
    expect(demoSiteOptions({})).toEqual({});
    expect(demoSiteOptions({ DEMO_SITE_PRODUCTS: ' ' })).toEqual({});
  });

  test('DEMO_SITE_PRODUCTS sets the catalogue size', () => {
    expect(demoSiteOptions({ DEMO_SITE_PRODUCTS: '5000' })).toEqual({ products: 5000 });
    expect(demoSiteOptions({ DEMO_SITE_PRODUCTS: ' 1 ' })).toEqual({ products: 1 });
    expect(demoSiteOptions({ DEMO_SITE_PRODUCTS: '100000' })).toEqual({ products: 100_000 });
  });

  test.each(['0', '-5', '2.5', '1e3', 'many', '100001'])('"%s" is refused', (raw) => {
    expect(() => demoSiteOptions({ DEMO_SITE_PRODUCTS: raw })).toThrow(
      `DEMO_SITE_PRODUCTS must be a whole number from 1 to 100000, not "${raw}"`,
    );
  });

  test('a site started with them serves 500 listing pages for 5000 products; the last page is full and page 501 is 404', async () => {
    const site = await startFixtureSite(demoSiteOptions({ DEMO_SITE_PRODUCTS: '5000' }));
    try {
      expect(site.pages).toBe(500);
      const last = await fetch(`${site.url}/api/products?page=500`).then((r) => r.json());
      expect(JSON.stringify(last)).toContain('"id":5000');
      expect((await fetch(`${site.url}/products?page=501`)).status).toBe(404);
    } finally {
      await site.close();
    }
  });
});
