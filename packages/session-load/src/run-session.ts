import { setTimeout as sleep } from 'node:timers/promises';
import type { PlannedSession } from './plan-arrivals.ts';
import type { SessionFailure, SessionTimeline } from './session-timeline.ts';
import type { WebDriverClient } from './webdriver-client.ts';
import { WebDriverError } from './webdriver-error.ts';

export interface RunSessionOptions {
  readonly client: WebDriverClient;
  /** The fixture site's base URL; the session reads /products?page=k on it. */
  readonly siteUrl: string;
  /** Listing pages the site has (the fixture site's default is 20). */
  readonly sitePages: number;
  /** The alwaysMatch capabilities sent. */
  readonly capabilities: Record<string, unknown>;
  /** Pause between two pages, as a test between steps (default 1000 ms). */
  readonly thinkMs?: number;
  /** Aborted when the run's cap is reached: the session is quit and marked `cut`. */
  readonly signal: AbortSignal;
  readonly now?: () => number;
}

/**
 * One test's life: ask for a browser (waiting as long as the hub queues it), load and check
 * listing pages of the site until its duration is over, quit. Never throws: every ending is data
 * in the timeline.
 */
export async function runSession(
  planned: PlannedSession,
  options: RunSessionOptions,
): Promise<SessionTimeline> {
  const { client, signal } = options;
  const now = options.now ?? Date.now;
  const thinkMs = options.thinkMs ?? 1_000;
  const base = {
    index: planned.index,
    phase: planned.phase,
    plannedAtMs: planned.atMs,
    plannedDurationMs: planned.durationMs,
  };
  const requestedAt = now();
  let sessionId: string;
  try {
    ({ sessionId } = await client.newSession(options.capabilities, signal));
  } catch (error) {
    const endedAt = now();
    return {
      ...base,
      requestedAt,
      endedAt,
      outcome: signal.aborted ? 'cut' : 'failed-to-start',
      pages: 0,
      failure: _failure('new-session', error, signal),
    };
  }
  const createdAt = now();
  const started = { ...base, requestedAt, createdAt, queueWaitMs: createdAt - requestedAt, sessionId };
  const workUntil = createdAt + planned.durationMs;
  let pages = 0;
  try {
    do {
      const page = ((planned.index + pages) % options.sitePages) + 1;
      await _readListing(client, sessionId, options.siteUrl, page, signal);
      pages++;
      const left = workUntil - now();
      if (left > 0) await sleep(Math.min(thinkMs, left), undefined, { signal });
    } while (now() < workUntil);
  } catch (error) {
    // The browser is likely gone; a quit still frees a slot the hub may think is taken.
    await _quietQuit(client, sessionId);
    return {
      ...started,
      endedAt: now(),
      outcome: signal.aborted ? 'cut' : 'lost',
      pages,
      failure: _failure('command', error, signal),
    };
  }
  try {
    await client.deleteSession(sessionId);
  } catch (error) {
    return { ...started, endedAt: now(), outcome: 'lost', pages, failure: _failure('quit', error, signal) };
  }
  return { ...started, endedAt: now(), outcome: 'ok', pages };
}

// --- internal ---

async function _readListing(
  client: WebDriverClient,
  sessionId: string,
  siteUrl: string,
  page: number,
  signal: AbortSignal,
): Promise<void> {
  const url = `${siteUrl.replace(/\/+$/, '')}/products?page=${page}`;
  await client.navigate(sessionId, url, signal);
  const title = await client.title(sessionId, signal);
  // The fixture site titles a listing "Products, page k of N" and repeats it in the h1.
  const expected = `Products, page ${page} of `;
  const heading = await client.elementText(sessionId, 'h1', signal);
  if (!title.startsWith(expected) || heading !== title) {
    throw new WebDriverError(
      'WEBDRIVER_UNEXPECTED_PAGE',
      `${url}: title ${JSON.stringify(title)}, h1 ${JSON.stringify(heading)}; expected "${expected}…" in both`,
    );
  }
}

async function _quietQuit(client: WebDriverClient, sessionId: string): Promise<void> {
  try {
    await client.deleteSession(sessionId, AbortSignal.timeout(QUIT_AFTER_FAILURE_MS));
  } catch {
    // Best effort: the failure that matters is already recorded.
  }
}

const QUIT_AFTER_FAILURE_MS = 10_000;

function _failure(stage: SessionFailure['stage'], error: unknown, signal: AbortSignal): SessionFailure {
  if (signal.aborted) return { stage, code: 'RUN_CAP', message: 'the run reached its cap' };
  if (error instanceof WebDriverError) {
    return {
      stage,
      code: error.code,
      ...(error.w3cError === undefined ? {} : { w3cError: error.w3cError }),
      message: error.message,
    };
  }
  return { stage, code: 'UNEXPECTED', message: (error as Error)?.message ?? String(error) };
}
