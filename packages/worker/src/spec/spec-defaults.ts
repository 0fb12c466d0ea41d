/**
 * Every default of the job spec in one place; docs/job-spec.md lists the same values.
 * Chosen for one scrape Job pod with a hub and one Chrome node beside it: polite to the site, patient
 * with JavaScript-rendered pages, and strict about failures (one page lost for good fails the job).
 */
export const SPEC_DEFAULTS = Object.freeze({
  waitTimeoutMs: 10_000,
  scroll: { times: 10, pauseMs: 500 },
  limits: {
    concurrency: 1,
    delayPerHostMs: 250,
    maxPages: 1_000,
    maxItems: 1_000_000,
    pageTimeoutMs: 30_000,
    retries: 3,
    backoff: { initialMs: 1_000, maxMs: 30_000, multiplier: 2, jitter: 0.2 },
    maxFailedPages: 0,
    minItems: 1,
  },
  loginTimeoutMs: 15_000,
  robotsTxt: 'obey' as const,
  browser: {
    gridUrl: 'http://localhost:4444',
    capabilities: { browserName: 'chrome' },
    readyTimeoutMs: 120_000,
    waitFor: 'node' as const,
  },
  // The browser window when browser.windowSize is not set: the screen of docker-selenium's nodes, a
  // desktop, as the people writing specs see sites. Chromium --headless=new would open 780x580, at
  // which real sites cover their own buttons.
  windowSize: { width: 1920, height: 1080 },
  output: {
    // The scrape Job's pod shares an emptyDir at /tmp between the worker and the sidecars.
    dir: '/tmp/scrapegrid/output',
    partMaxBytes: 64 * 1024 * 1024,
  },
});
