import type { Logger } from 'pino';
import type { ScrapeStats } from '../scrape/scrape-stats.ts';

/**
 * Logs one progress line every `intervalMs` (pages done, records, failures, rate, estimated time
 * left for the pages known so far) until the returned function is called, which logs a last one.
 */
export function reportProgress(stats: ScrapeStats, logger: Logger, intervalMs = 5_000): () => void {
  const timer = setInterval(() => logger.info(progressLine(stats, Date.now()), 'progress'), intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    logger.info(progressLine(stats, Date.now()), 'progress');
  };
}

export function progressLine(stats: ScrapeStats, now: number) {
  const seconds = Math.max(0.001, (now - stats.startedAt) / 1000);
  const done = stats.pagesSucceeded + stats.pagesFailed;
  const rate = done / seconds;
  return {
    pages: stats.pagesSucceeded,
    records: stats.records,
    failures: stats.pagesFailed,
    retries: stats.retries,
    outstanding: stats.outstanding,
    pagesPerSecond: Math.round(rate * 100) / 100,
    // Only the pages known so far: pagination and detail pages add more as they are found.
    etaSeconds: rate > 0 ? Math.round(stats.outstanding / rate) : null,
  };
}
