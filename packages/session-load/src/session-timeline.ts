/**
 * How a session ended:
 * - `ok`: it worked its whole duration and the client quit it;
 * - `failed-to-start`: the new-session request failed (the hub's `New session request timed out`
 *   after its session-request-timeout, a refusal, no answer);
 * - `lost`: it had a browser and a command failed before the client quit (the user's test fails);
 * - `cut`: the run's own time cap ended it (not the Grid's doing; counted apart).
 */
export type SessionOutcome = 'ok' | 'failed-to-start' | 'lost' | 'cut';

export interface SessionFailure {
  /** Where it failed: asking for the session, working in it, quitting it. */
  readonly stage: 'new-session' | 'command' | 'quit';
  /** WebDriverError code, or `RUN_CAP` when the run's cap cut it. */
  readonly code: string;
  /** The W3C error code the remote end answered, e.g. `session not created`. */
  readonly w3cError?: string;
  readonly message: string;
}

/** One session request from request to end. Times are epoch milliseconds. */
export interface SessionTimeline {
  readonly index: number;
  /** The profile phase that asked for it. */
  readonly phase: number;
  readonly plannedAtMs: number;
  readonly plannedDurationMs: number;
  /** POST /session sent. */
  readonly requestedAt: number;
  /** POST /session answered with a session: the end of the queue wait. */
  readonly createdAt?: number;
  /** createdAt - requestedAt. */
  readonly queueWaitMs?: number;
  /** The quit answered, or the failure seen. */
  readonly endedAt: number;
  readonly outcome: SessionOutcome;
  readonly sessionId?: string;
  /** Pages the session loaded and checked. */
  readonly pages: number;
  readonly failure?: SessionFailure;
  /** The node the hub placed it on (from the hub's /status, see attachHubView). */
  readonly nodeId?: string;
  readonly nodeUri?: string;
  /** The session's start as the hub recorded it. */
  readonly hubStartedAt?: number;
}
