import type { Logger } from 'pino';
import type { WebDriver } from 'selenium-webdriver';
import type { JobSpec, ScrapedRecord } from '../spec/job-spec.ts';
import { backoffDelay } from './backoff-delay.ts';
import { expandStartUrls } from './expand-start-urls.ts';
import { HostGate } from './host-gate.ts';
import { isHttpUrl } from './is-http-url.ts';
import { isSessionLost } from './is-session-lost.ts';
import { openSession, SessionError } from './open-session.ts';
import { type PageRequest, RequestQueue } from './request-queue.ts';
import { saveFailureSnapshot } from './save-failure-snapshot.ts';
import type { ScrapeStats } from './scrape-stats.ts';
import { visitPage } from './visit-page.ts';

/** A page that failed for good (the shape of the manifest's PageFailure). */
export interface ScrapeFailure {
  url: string;
  error: string;
  attempts: number;
  screenshot?: string;
  html?: string;
}

export interface ScrapeJobOptions {
  spec: JobSpec;
  gridUrl: string;
  /** Where records go; writes are issued one at a time, in order. */
  sink: { write(record: ScrapedRecord): Promise<void> };
  stats: ScrapeStats;
  logger: Logger;
  /** Values of the environment variables that fill actions name. */
  env: Readonly<Record<string, string | undefined>>;
  /** SIGTERM: stop taking pages, give up on pages in flight, close the sessions. */
  signal: AbortSignal;
}

export interface ScrapeResult {
  /** 'failed': more pages failed for good than limits.maxFailedPages allows. */
  status: 'succeeded' | 'failed' | 'aborted';
  /** Why the scrape failed, in one line. */
  reason?: string;
  failures: ScrapeFailure[];
  /** Pages visited successfully. */
  pages: number;
}

/**
 * Scrapes the spec's pages with `limits.concurrency` browser sessions on the Grid. Each session
 * runs a lane that takes pages from one shared queue (URLs deduplicated). A page is written only
 * once it has been read completely, so a retry never duplicates records; a lost session is
 * replaced and its page retried with backoff; a page failing after its retries is recorded (with
 * a screenshot and HTML) and the job fails once more than limits.maxFailedPages have failed.
 */
export async function scrapeJob(options: ScrapeJobOptions): Promise<ScrapeResult> {
  const { spec, stats, logger, signal } = options;
  const { limits } = spec;
  const queue = new RequestQueue();
  const gate = new HostGate(limits.delayPerHostMs);
  const failures: ScrapeFailure[] = [];
  let listingPages = 0;
  let itemsAccepted = 0;
  let failedReason: string | undefined;
  let writes: Promise<void> = Promise.resolve();

  /** Queues a page; false when it is not (seen before, not http(s), past maxPages, stopping). */
  const enqueue = (request: Omit<PageRequest, 'attempts'>): boolean => {
    if (!isHttpUrl(request.url)) {
      logger.warn({ url: request.url }, 'not an http or https URL: not followed');
      return false;
    }
    if (request.kind === 'listing' && listingPages >= limits.maxPages) return false;
    const added = queue.add(request);
    if (added && request.kind === 'listing') listingPages++;
    stats.outstanding = queue.outstanding;
    return added;
  };
  const stop = (reason: string) => {
    failedReason ??= reason;
    queue.close();
  };
  const onAbort = () => queue.close();
  signal.addEventListener('abort', onAbort, { once: true });
  for (const url of expandStartUrls(spec.start)) enqueue({ url, kind: 'listing', depth: 1 });

  const accept = async (request: PageRequest, records: ScrapedRecord[], next: string | undefined) => {
    const room = Math.max(0, limits.maxItems - itemsAccepted);
    const kept = request.kind === 'listing' ? records.slice(0, room) : records;
    if (request.kind === 'listing') itemsAccepted += kept.length;
    if (spec.detail && request.kind === 'listing') {
      for (const item of kept) {
        const url = item[spec.detail.urlField];
        if (typeof url !== 'string')
          logger.warn({ page: request.url }, `item without ${spec.detail.urlField}: no detail page to join`);
        else if (!enqueue({ url, kind: 'detail', depth: request.depth, item }))
          logger.warn(
            { page: request.url, url },
            'detail page not queued (seen before, or the job is stopping): item not written',
          );
      }
    } else {
      // One write chain: records reach the writer in page order, never interleaved mid-record.
      writes = writes.then(async () => {
        for (const record of kept) {
          try {
            await options.sink.write(record);
          } catch (error) {
            // Not the page's fault, and part of the page may be written: retrying would duplicate.
            throw new SinkError(`cannot write a record: ${_oneLine(error)}`, { cause: error });
          }
          stats.records++;
        }
      });
      await writes;
    }
    if (
      next &&
      spec.pagination &&
      request.depth < spec.pagination.maxPages &&
      itemsAccepted < limits.maxItems
    )
      enqueue({ url: next, kind: 'listing', depth: request.depth + 1 });
  };

  const lane = async (laneId: number) => {
    let driver: WebDriver | undefined;
    const dropSession = () => {
      const lost = driver;
      driver = undefined;
      // The lost session may never answer: quit in the background, never wait on it.
      lost?.quit().catch(() => {});
    };
    try {
      for (;;) {
        const request = await queue.next();
        if (!request) return;
        stats.outstanding = queue.outstanding;
        const started = Date.now();
        try {
          driver ??= await openSession(options.gridUrl, spec, spec.browser.readyTimeoutMs, signal);
          await gate.wait(request.url, signal);
          const outcome = await _withinPageTimeout(
            visitPage(driver, request, spec, options.env),
            limits.pageTimeoutMs,
            signal,
          );
          await accept(request, outcome.records, outcome.next);
          stats.pageFinished(Date.now() - started, 'succeeded');
          logger.debug({ lane: laneId, url: request.url, records: outcome.records.length }, 'page done');
          queue.done(request);
        } catch (error) {
          if (signal.aborted || error instanceof SinkError) {
            if (error instanceof SinkError) stop(error.message);
            queue.done(request);
            return;
          }
          request.attempts++;
          const message = _oneLine(error);
          const lost = isSessionLost(error) || error instanceof PageTimeout || error instanceof SessionError;
          if (lost) {
            logger.warn(
              { lane: laneId, url: request.url, error: message },
              'browser session lost: replacing it',
            );
            stats.sessionsReplaced++;
          }
          if (request.attempts <= limits.retries) {
            const delay = backoffDelay(request.attempts, limits.backoff);
            logger.info(
              { url: request.url, attempt: request.attempts, retryInMs: delay, error: message },
              'page failed: retrying',
            );
            if (lost) dropSession();
            stats.pageFinished(Date.now() - started, 'retried');
            queue.retryLater(request, delay);
          } else {
            const snapshot = lost ? {} : await saveFailureSnapshot(driver, request.url, spec.output.dir);
            if (lost) dropSession();
            failures.push({ url: request.url, error: message, attempts: request.attempts, ...snapshot });
            stats.pageFinished(Date.now() - started, 'failed');
            logger.error(
              { url: request.url, attempts: request.attempts, error: message },
              'page failed for good',
            );
            queue.done(request);
            if (failures.length > limits.maxFailedPages)
              stop(
                `${failures.length} pages failed, more than limits.maxFailedPages (${limits.maxFailedPages})`,
              );
          }
        }
        stats.outstanding = queue.outstanding;
      }
    } finally {
      if (driver) await _bounded(driver.quit(), 10_000).catch(() => {});
    }
  };

  try {
    await Promise.all(Array.from({ length: limits.concurrency }, (_, i) => lane(i + 1)));
    await writes.catch(() => {}); // a write error has already stopped the job with its reason
  } finally {
    signal.removeEventListener('abort', onAbort);
    queue.close();
    stats.outstanding = 0;
  }
  const base = { failures, pages: stats.pagesSucceeded };
  if (signal.aborted) return { status: 'aborted', reason: 'terminated by a signal', ...base };
  if (failedReason) return { status: 'failed', reason: failedReason, ...base };
  return { status: 'succeeded', ...base };
}

// --- internal ---

class SinkError extends Error {
  readonly code = 'SINK_FAILED';
}

class PageTimeout extends Error {
  readonly code = 'PAGE_TIMEOUT';
}

/**
 * The whole visit (load, wait, actions, read) within the page timeout plus a margin for the
 * browser's own page-load timeout to fire first; past it the session is presumed stuck.
 */
function _withinPageTimeout<T>(work: Promise<T>, timeoutMs: number, signal: AbortSignal): Promise<T> {
  return _abortable(
    _bounded(work, timeoutMs + 15_000, () => new PageTimeout(`page took longer than ${timeoutMs} ms`)),
    signal,
  );
}

function _bounded<T>(
  work: Promise<T>,
  ms: number,
  error = () => new Error(`timed out after ${ms} ms`),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(error()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function _abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort: (() => void) | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
  ]).finally(() => signal.removeEventListener('abort', onAbort!));
}

function _oneLine(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
      : String(error);
  return text.split('\n')[0]!.slice(0, 500);
}
