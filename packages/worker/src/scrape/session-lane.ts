import type { Logger } from 'pino';
import type { WebDriver } from 'selenium-webdriver';
import type { JobSpec } from '../spec/job-spec.ts';
import { backoffDelay } from './backoff-delay.ts';
import type { HostGate } from './host-gate.ts';
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

export interface SessionLaneContext {
  spec: JobSpec;
  gridUrl: string;
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  logger: Logger;
  stats: ScrapeStats;
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
 * replaced (and logs in again) and its page retried with backoff; a page failing after its retries
 * is handed to `failedForGood` with a screenshot and the HTML. The session is closed at the end.
 */
export async function runSessionLane(laneId: number, context: SessionLaneContext): Promise<void> {
  const lane = new _Lane(laneId, context);
  try {
    await lane.run();
  } finally {
    await lane.close();
  }
}

// --- internal ---

class _Lane {
  readonly #id: number;
  readonly #c: SessionLaneContext;
  #driver: WebDriver | undefined;

  constructor(id: number, context: SessionLaneContext) {
    this.#id = id;
    this.#c = context;
  }

  async run(): Promise<void> {
    const { queue, stats, signal } = this.#c;
    for (;;) {
      const request = await queue.next();
      if (!request) return;
      stats.outstanding = queue.outstanding;
      const started = Date.now();
      try {
        if (!(await this.#c.pages.allowed(request))) {
          queue.done(request);
          continue;
        }
        await this.#visit(request, started);
      } catch (error) {
        if (signal.aborted || error instanceof SinkError) {
          if (error instanceof SinkError) this.#c.stop(error.message);
          queue.done(request);
          return;
        }
        await this.#failed(request, error, started);
      }
      stats.outstanding = queue.outstanding;
    }
  }

  async close(): Promise<void> {
    if (this.#driver) await _bounded(this.#driver.quit(), 10_000).catch(() => {});
  }

  async #visit(request: PageRequest, started: number): Promise<void> {
    const { spec, env, signal, stats } = this.#c;
    const session = await this.#session();
    await this.#c.gate.wait(request.url, signal);
    const outcome = await withinPageTimeout(
      (onPage) => visitPage(session, request, spec, { env, onPage }),
      spec.limits.pageTimeoutMs,
      signal,
    );
    await this.#c.pages.accept(request, outcome);
    stats.pageFinished(Date.now() - started, 'succeeded');
    this.#c.logger.debug({ lane: this.#id, url: request.url, records: outcome.records.length }, 'page done');
    this.#c.queue.done(request);
  }

  /** The lane's session, opened (and logged in) when it has none. */
  async #session(): Promise<WebDriver> {
    if (this.#driver) return this.#driver;
    const { spec, signal } = this.#c;
    this.#driver = await openSession(this.#c.gridUrl, spec, spec.browser.readyTimeoutMs, signal);
    this.#c.stats.sessionsOpened++;
    if (spec.login) {
      // Once per session, before its first page: cookies stay in the session.
      await runLogin(this.#driver, spec.login, this.#c.env, Date.now() + spec.limits.pageTimeoutMs);
      this.#c.logger.info({ lane: this.#id }, 'logged in');
    }
    return this.#driver;
  }

  /** A visit failed: retried after its backoff, or failed for good once its retries are spent. */
  async #failed(request: PageRequest, error: unknown, started: number): Promise<void> {
    const { spec, stats, logger, queue } = this.#c;
    const { limits } = spec;
    request.attempts++;
    const message = oneLine(error);
    const lost = isSessionLost(error) || error instanceof PageTimeout || error instanceof SessionError;
    if (lost) {
      logger.warn({ lane: this.#id, url: request.url, error: message }, 'browser session lost: replacing it');
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
      if (replace) this.#drop();
      stats.pageFinished(Date.now() - started, 'retried');
      queue.retryLater(request, delay);
      return;
    }
    const snapshot = lost ? {} : await saveFailureSnapshot(this.#driver, request.url, spec.output.dir);
    if (replace) this.#drop();
    stats.pageFinished(Date.now() - started, 'failed');
    logger.error({ url: request.url, attempts: request.attempts, error: message }, 'page failed for good');
    queue.done(request);
    this.#c.failedForGood(request, {
      url: request.url,
      error: message,
      attempts: request.attempts,
      ...snapshot,
    });
  }

  #drop(): void {
    const lost = this.#driver;
    this.#driver = undefined;
    // The lost session may never answer: quit in the background, never wait on it.
    lost?.quit().catch(() => {});
  }
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
