import { setTimeout as sleep } from 'node:timers/promises';
import { assertInternalUrl } from './assert-internal-url.ts';
import type { PlannedSession } from './plan-arrivals.ts';
import { runSession } from './run-session.ts';
import type { SessionTimeline } from './session-timeline.ts';
import { createWebDriverClient, DEFAULT_NEW_SESSION_TIMEOUT_MS } from './webdriver-client.ts';

export interface RunProfileOptions {
  /** The hub: loopback, private or cluster-internal only (assertInternalUrl). */
  readonly hubUrl: string;
  /** The fixture site the sessions browse, seen from the browser nodes. */
  readonly siteUrl: string;
  /** Listing pages of the site (default 20, the fixture site's default). */
  readonly sitePages?: number;
  readonly plan: readonly PlannedSession[];
  /**
   * alwaysMatch capabilities. Default `{ browserName: 'chrome' }` with no platformName: what
   * Selenium's Python and Java clients send for `webdriver.Remote(options=ChromeOptions())`.
   */
  readonly capabilities?: Record<string, unknown>;
  /** Adds `platformName` to the capabilities (e.g. `linux`). */
  readonly platformName?: string;
  /** At most this many sessions are requested; later ones are skipped (default 500). */
  readonly maxRequests?: number;
  /**
   * The run's cap: sessions still running are quit and marked `cut`, later ones skipped. Default:
   * the plan's last end plus the new-session timeout plus a minute, so that a run with every
   * request queued to the hub's timeout still ends by itself.
   */
  readonly maxRunMs?: number;
  readonly newSessionTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
  readonly thinkMs?: number;
  /** Stops the run early (as the cap does). */
  readonly signal?: AbortSignal;
  /** Called as each session ends (progress output). */
  readonly onSession?: (timeline: SessionTimeline) => void;
  readonly now?: () => number;
}

export interface LoadRun {
  /** Epoch ms: the run's time 0, when the plan's atMs count from. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly planned: number;
  /** Planned sessions never requested (maxRequests, the cap or the signal came first). */
  readonly skipped: number;
  /** Every requested session, in plan order. */
  readonly timelines: readonly SessionTimeline[];
}

/** Runs a plan against a hub: each session is requested at its planned time and lives on its own. */
export async function runProfile(options: RunProfileOptions): Promise<LoadRun> {
  const hubUrl = assertInternalUrl(options.hubUrl, 'hub URL').href;
  const siteUrl = assertInternalUrl(options.siteUrl, 'site URL').href;
  const now = options.now ?? Date.now;
  const newSessionTimeoutMs = options.newSessionTimeoutMs ?? DEFAULT_NEW_SESSION_TIMEOUT_MS;
  const plan = options.plan.slice(0, options.maxRequests ?? 500);
  const planEndMs = Math.max(0, ...plan.map((s) => s.atMs + s.durationMs));
  const maxRunMs = options.maxRunMs ?? planEndMs + newSessionTimeoutMs + 60_000;
  const capabilities = {
    ...(options.capabilities ?? { browserName: 'chrome' }),
    ...(options.platformName === undefined ? {} : { platformName: options.platformName }),
  };
  const cap = AbortSignal.timeout(maxRunMs);
  const signal = options.signal ? AbortSignal.any([options.signal, cap]) : cap;
  const client = createWebDriverClient({
    hubUrl,
    newSessionTimeoutMs,
    ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
  });

  const startedAt = now();
  try {
    const results = await Promise.all(
      plan.map(async (planned): Promise<SessionTimeline | undefined> => {
        const waitMs = startedAt + planned.atMs - now();
        try {
          if (waitMs > 0) await sleep(waitMs, undefined, { signal });
        } catch {
          return undefined;
        }
        if (signal.aborted) return undefined;
        const timeline = await runSession(planned, {
          client,
          siteUrl,
          sitePages: options.sitePages ?? 20,
          capabilities,
          signal,
          now,
          ...(options.thinkMs === undefined ? {} : { thinkMs: options.thinkMs }),
        });
        options.onSession?.(timeline);
        return timeline;
      }),
    );
    const timelines = results.filter((t): t is SessionTimeline => t !== undefined);
    return {
      startedAt,
      endedAt: now(),
      planned: options.plan.length,
      skipped: options.plan.length - timelines.length,
      timelines,
    };
  } finally {
    await client.close();
  }
}
