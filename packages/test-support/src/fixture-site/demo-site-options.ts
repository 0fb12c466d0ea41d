import type { FixtureSiteOptions } from './server.ts';

/** The most products the demo site serves: 100 000 (10 000 listing pages) is far beyond any bench. */
export const MAX_DEMO_SITE_PRODUCTS = 100_000;

/**
 * The demo-site image's settings from its environment (images/demo-site): DEMO_SITE_PRODUCTS, the
 * catalogue size (default 200, 10 a listing page), so one image serves the 20-page demo and a
 * crawl of thousands of pages; the content of product N is the same at any size. A value that is
 * not a whole number from 1 to MAX_DEMO_SITE_PRODUCTS throws: the container exits rather than
 * serving a catalogue the scrape's expected counts do not match.
 */
export function demoSiteOptions(env: Readonly<Record<string, string | undefined>>): FixtureSiteOptions {
  const raw = env.DEMO_SITE_PRODUCTS?.trim();
  if (raw === undefined || raw === '') return {};
  const products = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(products >= 1 && products <= MAX_DEMO_SITE_PRODUCTS))
    throw new Error(
      `DEMO_SITE_PRODUCTS must be a whole number from 1 to ${MAX_DEMO_SITE_PRODUCTS}, not "${raw}"`,
    );
  return { products };
}
