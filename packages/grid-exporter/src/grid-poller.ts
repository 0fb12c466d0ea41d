import type { Logger } from 'pino';
import { computeGridDemand } from './compute-grid-demand.ts';
import { GridPollError } from './grid-poll-error.ts';
import { GridResponseError } from './grid-response-error.ts';
import type { GridSnapshot } from './grid-snapshot.ts';
import type { GridSource } from './grid-source.ts';
import { parseGridState } from './parse-grid-state.ts';
import type { Pool } from './pool.ts';
import { QueueWaitTracker } from './queue-wait-tracker.ts';

export interface GridPollerOptions {
  readonly client: GridSource;
  readonly pools: readonly Pool[];
  readonly intervalSeconds: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Polls the Grid on its own schedule, one request at a time, and keeps the last snapshot. Scrapes
 * only read that snapshot, so any number of scrapers cost the Grid nothing (KEDA sends one query
 * per ScaledObject per interval). A poll never throws: failure is part of the snapshot.
 */
export class GridPoller {
  readonly #options: GridPollerOptions;
  readonly #now: () => number;
  readonly #tracker = new QueueWaitTracker();
  readonly #listeners: Array<(snapshot: GridSnapshot) => void> = [];
  #snapshot: GridSnapshot | undefined;
  #inFlight: Promise<GridSnapshot> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #sequence = 0;

  constructor(options: GridPollerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The last poll's result; undefined before the first poll ends. */
  current(): GridSnapshot | undefined {
    return this.#snapshot;
  }

  /** Called after every poll, success or not (metrics counters, the deletion-cost controller). */
  onPoll(listener: (snapshot: GridSnapshot) => void): void {
    this.#listeners.push(listener);
  }

  /** Polls now, or joins the poll already in flight. */
  pollOnce(): Promise<GridSnapshot> {
    this.#inFlight ??= this.#poll().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Polls now and then every interval (measured from the start of each poll). */
  start(): void {
    this.#stopped = false;
    const loop = async () => {
      const started = this.#now();
      await this.pollOnce();
      if (this.#stopped) return;
      const wait = Math.max(0, this.#options.intervalSeconds * 1000 - (this.#now() - started));
      this.#timer = setTimeout(loop, wait);
    };
    void loop();
  }

  /** Stops the schedule and waits for a poll in flight (bounded by the client's timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#inFlight;
  }

  // --- internal ---

  async #poll(): Promise<GridSnapshot> {
    const started = performance.now();
    let snapshot: GridSnapshot;
    try {
      const answer = await this.#options.client.fetch();
      const state = parseGridState(answer.data);
      const demand = computeGridDemand(state, this.#options.pools);
      const at = this.#now();
      if (answer.queueRequestIds !== undefined) this.#tracker.observe(answer.queueRequestIds, at);
      snapshot = {
        sequence: ++this.#sequence,
        at,
        durationSeconds: (performance.now() - started) / 1000,
        error: undefined,
        grid: {
          state,
          pools: demand.pools,
          unmatchedRequests: demand.unmatchedRequests,
          oldestQueueWaitSeconds:
            answer.queueRequestIds === undefined ? undefined : this.#tracker.oldestWaitSeconds(at),
        },
      };
    } catch (error) {
      const pollError =
        error instanceof GridPollError
          ? error
          : error instanceof GridResponseError
            ? new GridPollError('invalid_response', error.message, { cause: error })
            : new GridPollError('invalid_response', `unexpected: ${(error as Error)?.message}`, {
                cause: error,
              });
      // A Grid that is down fails every poll: one line each, the stack only at debug level.
      const { logger } = this.#options;
      logger.warn(
        { code: pollError.code, reason: pollError.reason, error: pollError.message },
        'Grid poll failed',
      );
      logger.debug({ err: pollError }, 'Grid poll failed: the stack');
      snapshot = {
        sequence: ++this.#sequence,
        at: this.#now(),
        durationSeconds: (performance.now() - started) / 1000,
        error: pollError,
        grid: undefined,
      };
    }
    this.#snapshot = snapshot;
    for (const listener of this.#listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.#options.logger.error({ err: error }, 'poll listener failed');
      }
    }
    return snapshot;
  }
}
