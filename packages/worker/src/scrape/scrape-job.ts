import type { Logger } from 'pino';
import type { WebDriver } from 'selenium-webdriver';
import type { ManifestNote } from '../output/manifest.ts';
import type { JobSpec, ScrapedRecord } from '../spec/job-spec.ts';
import { backoffDelay } from './backoff-delay.ts';
import { DetailJoins } from './detail-joins.ts';
import { expandStartUrls } from './expand-start-urls.ts';
import { HostGate } from './host-gate.ts';
import { isHttpUrl } from './is-http-url.ts';
import { isSessionLost } from './is-session-lost.ts';
import { openSession, SessionError } from './open-session.ts';
import { type PageRequest, RequestQueue } from './request-queue.ts';
import { RobotsRules } from './robots-rules.ts';
import { LoginError, runLogin } from './run-login.ts';
import { runVerdict } from './run-verdict.ts';
import { saveFailureSnapshot } from './save-failure-snapshot.ts';
import type { ScrapeStats } from './scrape-stats.ts';
import { type PageOutcome, visitPage } from './visit-page.ts';

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
  /** 'failed': more pages failed for good than limits.maxFailedPages allows, or the run is not whole. */
  status: 'succeeded' | 'failed' | 'aborted';
  /** Why the scrape failed, in one line. */
  reason?: string;
  failures: ScrapeFailure[];
  /** What the user must know even when it succeeded (manifest `notes`). */
  notes: ManifestNote[];
  /** Pages visited successfully. */
  pages: number;
}

/** The product token matched against robots.txt groups when the spec sets no user agent. */
export const DEFAULT_AGENT_TOKEN = 'scrapegrid';

/**
 * Scrapes the spec's pages with `limits.concurrency` browser sessions on the Grid. Each session
 * runs a lane that takes pages from one shared queue (URLs deduplicated), logging in first when the
 * spec says so. A page is written only once it has been read completely, so a retry never
 * duplicates records; a lost session is replaced (and logs in again) and its page retried with
 * backoff; a page failing after its retries is recorded (with a screenshot and HTML) and the job
 * fails once more than limits.maxFailedPages have failed. A detail page is read once and joined
 * into every item that points at it. The run fails when it is not whole: a next control it cannot
 * follow, an items selector that matched nothing, fewer records than limits.minItems.
 */
export async function scrapeJob(options: ScrapeJobOptions): Promise<ScrapeResult> {
  const { spec, stats, logger, signal } = options;
  const { limits } = spec;
  const queue = new RequestQueue();
  const gate = new HostGate(limits.delayPerHostMs);
  const joins = new DetailJoins();
  const agentToken = spec.browser.userAgent?.split(/[\s/]/)[0] || DEFAULT_AGENT_TOKEN;
  const robots =
    spec.robotsTxt === 'obey'
      ? new RobotsRules({ agentToken, userAgent: spec.browser.userAgent ?? DEFAULT_AGENT_TOKEN })
      : undefined;
  const failures: ScrapeFailure[] = [];
  const notes: ManifestNote[] = [];
  const tally = { listingPages: 0, itemsMatched: 0, detailPages: 0, fieldsMatched: new Set<string>() };
  const noDetail = Object.fromEntries(Object.keys(spec.detail?.fields ?? {}).map((name) => [name, null]));
  let listingPages = 0;
  let itemsAccepted = 0;
  let lostItems = 0;
  let failedReason: string | undefined;
  let writes: Promise<void> = Promise.resolve();
  stats.minItems = limits.minItems;

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
  const note = (entry: ManifestNote, level: 'warn' | 'error' = 'warn') => {
    notes.push(entry);
    logger[level]({ code: entry.code, ...(entry.url ? { url: entry.url } : {}) }, entry.message);
  };
  const onAbort = () => queue.close();
  signal.addEventListener('abort', onAbort, { once: true });
  for (const url of expandStartUrls(spec.start)) enqueue({ url, kind: 'listing', depth: 1 });

  /** One write chain: records reach the writer in order, never interleaved mid-record. */
  const write = async (records: ScrapedRecord[]) => {
    writes = writes.then(async () => {
      for (const record of records) {
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
  };

  const accept = async (request: PageRequest, outcome: PageOutcome) => {
    for (const name of outcome.fieldsMatched) tally.fieldsMatched.add(name);
    if (request.kind === 'detail') {
      tally.detailPages++;
      await write(joins.resolve(request.url, outcome.records[0] ?? noDetail));
      return;
    }
    tally.listingPages += outcome.pagesRead;
    tally.itemsMatched += outcome.itemsMatched;
    const kept = outcome.records.slice(0, Math.max(0, limits.maxItems - itemsAccepted));
    itemsAccepted += kept.length;
    if (!spec.detail) await write(kept);
    else await write(joinDetails(request, kept));
    if (outcome.unfollowable) {
      note({ code: 'NEXT_NOT_FOLLOWABLE', url: request.url, message: outcome.unfollowable }, 'error');
      // The pages read so far are written; the job still fails, so nobody takes them for all of them.
      if (spec.pagination?.onUnfollowable !== 'warn')
        failedReason ??= `${outcome.unfollowable} (pagination.onUnfollowable: warn accepts this)`;
    }
    if (
      outcome.next &&
      spec.pagination &&
      request.depth < spec.pagination.maxPages &&
      itemsAccepted < limits.maxItems
    )
      enqueue({ url: outcome.next, kind: 'listing', depth: request.depth + 1 });
  };

  /** Items with their detail page read already, ready to write; the others wait for theirs. */
  const joinDetails = (request: PageRequest, items: ScrapedRecord[]): ScrapedRecord[] => {
    const detail = spec.detail!;
    const ready: ScrapedRecord[] = [];
    for (const item of items) {
      const url = item[detail.urlField];
      if (typeof url !== 'string' || !isHttpUrl(url)) {
        // The user asked for the item; the detail fields are what is missing, so they are null.
        if (!notes.some((n) => n.code === 'DETAIL_URL_MISSING'))
          note({
            code: 'DETAIL_URL_MISSING',
            url: request.url,
            message: `an item has no http(s) ${detail.urlField}: written with its detail fields null`,
          });
        ready.push({ ...item, ...noDetail });
        continue;
      }
      const join = joins.add(url, item);
      if (join.kind === 'joined') ready.push(join.record);
      else if (join.kind === 'lost') lostItems++;
      else if (join.kind === 'queue' && !enqueue({ url, kind: 'detail', depth: request.depth }))
        joins.fail(url); // only when the job is stopping: it fails anyway
    }
    return ready;
  };

  /** robots.txt: false when the page is skipped (its detail items are written without detail fields). */
  const allowedByRobots = async (request: PageRequest): Promise<boolean> => {
    if (!robots) return true;
    const verdict = await robots.check(request.url);
    if (verdict.allowed) return true;
    stats.pagesSkipped++;
    note({
      code: 'ROBOTS_DISALLOWED',
      url: request.url,
      message: `not read: disallowed by ${verdict.why} (robotsTxt: ignore reads it anyway)`,
    });
    if (request.kind === 'detail') await write(joins.resolve(request.url, noDetail));
    return false;
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
          if (!(await allowedByRobots(request))) {
            queue.done(request);
            continue;
          }
          if (!driver) {
            driver = await openSession(options.gridUrl, spec, spec.browser.readyTimeoutMs, signal);
            stats.sessionsOpened++;
            if (spec.login) {
              // Once per session, before its first page: cookies stay in the session.
              await runLogin(driver, spec.login, options.env, Date.now() + limits.pageTimeoutMs);
              logger.info({ lane: laneId }, 'logged in');
            }
          }
          await gate.wait(request.url, signal);
          const session = driver;
          const outcome = await _withinPageTimeout(
            (onPage) => visitPage(session, request, spec, { env: options.env, onPage }),
            limits.pageTimeoutMs,
            signal,
          );
          await accept(request, outcome);
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
          // A session whose login failed is not used again: the next attempt opens one and logs in.
          const replace = lost || error instanceof LoginError;
          if (request.attempts <= limits.retries) {
            const delay = backoffDelay(request.attempts, limits.backoff);
            logger.info(
              { url: request.url, attempt: request.attempts, retryInMs: delay, error: message },
              'page failed: retrying',
            );
            if (replace) dropSession();
            stats.pageFinished(Date.now() - started, 'retried');
            queue.retryLater(request, delay);
          } else {
            const snapshot = lost ? {} : await saveFailureSnapshot(driver, request.url, spec.output.dir);
            if (replace) dropSession();
            failures.push({ url: request.url, error: message, attempts: request.attempts, ...snapshot });
            stats.pageFinished(Date.now() - started, 'failed');
            logger.error(
              { url: request.url, attempts: request.attempts, error: message },
              'page failed for good',
            );
            if (request.kind === 'detail') {
              const waiting = joins.fail(request.url);
              if (waiting > 0)
                logger.error({ url: request.url, items: waiting }, 'items of this detail page not written');
              lostItems += waiting;
            }
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
  const base = { failures, notes, pages: stats.pagesSucceeded };
  if (signal.aborted) return { status: 'aborted', reason: 'terminated by a signal', ...base };
  if (lostItems > 0)
    note(
      {
        code: 'DETAIL_ITEMS_LOST',
        message: `${lostItems} items not written: their detail page failed for good (see failures)`,
      },
      'error',
    );
  const verdict = runVerdict(spec, { ...tally, records: stats.records });
  for (const entry of verdict.notes) note(entry, entry.code === 'FIELD_NEVER_MATCHED' ? 'warn' : 'error');
  failedReason ??= verdict.failure;
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
 * Each page of a visit (load, wait, actions, read) within the page timeout plus a margin for the
 * browser's own page-load timeout to fire first; past it the session is presumed stuck. A visit
 * that clicks through several pages calls `onPage` as each starts, and the clock starts again.
 */
function _withinPageTimeout<T>(
  work: (onPage: () => void) => Promise<T>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let expire: (error: Error) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => expire(new PageTimeout(`page took longer than ${timeoutMs} ms`)),
      timeoutMs + 15_000,
    );
  };
  arm();
  return _abortable(
    Promise.race([work(arm), expired]).finally(() => clearTimeout(timer)),
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
