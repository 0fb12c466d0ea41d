import { describe, expect, test } from 'vitest';
import { ScrapeStats } from '../scrape/scrape-stats.ts';
import { progressLine } from './report-progress.ts';

describe('progressLine', () => {
  test('pages, records, failures, rate and the time left for the pages known so far', () => {
    const stats = new ScrapeStats();
    for (let i = 0; i < 18; i++) stats.pageFinished(100, 'succeeded');
    stats.pageFinished(100, 'failed');
    stats.pageFinished(100, 'retried');
    stats.records = 180;
    stats.outstanding = 38;
    expect(progressLine(stats, stats.startedAt + 10_000)).toEqual({
      pages: 18,
      records: 180,
      failures: 1,
      retries: 1,
      outstanding: 38,
      pagesPerSecond: 1.9,
      etaSeconds: 20,
    });
  });

  test('no page done yet: no estimate', () => {
    expect(progressLine(new ScrapeStats(), Date.now()).etaSeconds).toBeNull();
  });
});
