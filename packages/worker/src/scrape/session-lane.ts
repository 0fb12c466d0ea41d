import type { Logger } from 'pino';
import type { WebDriver } from 'selenium-webdriver';
import type { JobSpec } from '../spec/job-spec.ts';
import { backoffDelay } from './backoff-delay.ts';
import type { HostGate } from './host-gate.ts';
import { isFinalFailure } from './is-final-failure.ts';
import { isSessionLost } from './is-session-lost.ts';
import { oneLine } from './one-line.ts';
import { openSession, SessionError } from './open-session.ts';
import { SinkError } from './ordered-sink.ts';
import type { PageAcceptor } from './page-acceptor.ts';
import type { PageRequest, RequestQueue } from './request-queue.ts';
import { LoginError, runLogin } from './run-login.ts';
import { saveFailureSnapshot } from './save-failure-snapshot.ts';
import type { ScrapeStats } from './scrape-stats.ts';
import { visitPage } from './visit-page.ts';
import { PageTimeout, withinPageTimeout } from './within-page-timeout.ts';

/** A page that failed for good (the shape of the manifest's PageFailure). */
export interface ScrapeFailure {
  url: string;
  error: string;
  attempts: number;
  screenshot?: string;
  html?: string;
}

/** What a lane takes from the job's options (scrapeJob's, less the sink). */
export interface LaneOptions {
  spec: JobSpec;
  gridUrl: string;
  /** Values of the environment variables that fill actions name. */
  env: Readonly<Record<string, string | undefined>>;
  /** SIGTERM: stop taking pages, give up on pages in flight, close the sessions. */
  signal: AbortSignal;
  logger: Logger;
  stats: ScrapeStats;
}

/** What the lanes of one run share. */
export interface LaneRun {
  queue: RequestQueue;
  gate: HostGate;
  pages: PageAcceptor;
  /** Stop the job: no more pages, and it fails with this reason. */
  stop: (reason: string) => void;
  /** A page failed for good (after its retries); it is already done in the queue. */
  failedForGood: (request: PageRequest, failure: ScrapeFailure) => void;
}

/**
 * One browser session's lane: takes pages from the shared queue until none is left, opening the
 * session (and logging in, when the spec says so) before its first page. A lost session is
 * replaced (and logs in again) and its page retried with backoff; a page failing after its retries,
 * or at once when a retry cannot change it (isFinalFailure), is handed to `failedForGood` with a
 * screenshot and the HTML. The session is closed at the end.
 */
export async function runSessionLane(laneId: number, options: LaneOptions, run: LaneRun): Promise<void> {
  const { queue } = run;
  const lane: _Lane = { id: laneId, driver: undefined };
  try {
    for (;;) {
      const request = await queue.next();
      if (!request) return;
      options.stats.outstanding = queue.outstanding;
      const started = Date.now();
      try {
        if (!(await run.pages.allowed(request))) {
          queue.done(request);
          continue;
        }
        await _visit(lane, request, options, run);
        options.stats.pageFinished(Date.now() - started, 'succeeded');
        queue.done(request);
      } catch (error) {
        if (options.signal.aborted || error instanceof SinkError) {
          if (error instanceof SinkError) run.stop(error.message);
          queue.done(request);
          return;
        }
        await _failed(lane, request, { error, started }, options, run);
      }
      options.stats.outstanding = queue.outstanding;
    }
  } finally {
    if (lane.driver) await _bounded(lane.driver.quit(), 10_000).catch(() => {});
  }
}

// --- internal ---

interface _Lane {
  id: number;
  /** The lane's session; undefined until its first page, and after it is lost. */
  driver: WebDriver | undefined;
}

async function _visit(lane: _Lane, request: PageRequest, options: LaneOptions, run: LaneRun) {
  const { spec, env, signal } = options;
  const session = await _session(lane, options);
  await run.gate.wait(request.url, signal);
  const outcome = await withinPageTimeout(
    (onPage) => visitPage(session, request, spec, { env, onPage }),
    spec.limits.pageTimeoutMs,
    signal,
  );
  await run.pages.accept(request, outcome);
  options.logger.debug({ lane: lane.id, url: request.url, records: outcome.records.length }, 'page done');
}

/** The lane's session, opened (and logged in) when it has none. */
async function _session(lane: _Lane, options: LaneOptions): Promise<WebDriver> {
  if (lane.driver) return lane.driver;
  const { spec, signal } = options;
  lane.driver = await openSession(options.gridUrl, spec, spec.browser.readyTimeoutMs, signal);
  options.stats.sessionsOpened++;
  if (spec.login) {
    // Once per session, before its first page: cookies stay in the session.
    await runLogin(lane.driver, spec.login, options.env, Date.now() + spec.limits.pageTimeoutMs);
    options.logger.info({ lane: lane.id }, 'logged in');
  }
  return lane.driver;
}

/** A visit failed: retried after its backoff, or failed for good once its retries are spent. */
async function _failed(
  lane: _Lane,
  request: PageRequest,
  { error, started }: { error: unknown; started: number },
  options: LaneOptions,
  run: LaneRun,
): Promise<void> {
  const { spec, stats, logger } = options;
  const { limits } = spec;
  request.attempts++;
  const message = oneLine(error);
  const lost = isSessionLost(error) || error instanceof PageTimeout || error instanceof SessionError;
  if (lost) {
    logger.warn({ lane: lane.id, url: request.url, error: message }, 'browser session lost: replacing it');
    stats.sessionsReplaced++;
  }
  // A session whose login failed is not used again: the next attempt opens one and logs in.
  const replace = lost || error instanceof LoginError;
  // The page loaded and does not fit the spec: it fails now, with its message, not after backoff.
  const final = isFinalFailure(error);
  if (!final && request.attempts <= limits.retries) {
    const delay = backoffDelay(request.attempts, limits.backoff);
    logger.info(
      { url: request.url, attempt: request.attempts, retryInMs: delay, error: message },
      'page failed: retrying',
    );
    if (replace) _drop(lane);
    stats.pageFinished(Date.now() - started, 'retried');
    run.queue.retryLater(request, delay);
    return;
  }
  const snapshot = lost ? {} : await saveFailureSnapshot(lane.driver, request.url, spec.output.dir);
  if (replace) _drop(lane);
  stats.pageFinished(Date.now() - started, 'failed');
  logger.error(
    { url: request.url, attempts: request.attempts, error: message },
    final ? 'page failed for good: a retry would read the same' : 'page failed for good',
  );
  run.queue.done(request);
  run.failedForGood(request, { url: request.url, error: message, attempts: request.attempts, ...snapshot });
}

function _drop(lane: _Lane): void {
  const lost = lane.driver;
  lane.driver = undefined;
  // The lost session may never answer: quit in the background, never wait on it.
  lost?.quit().catch(() => {});
}

function _bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
