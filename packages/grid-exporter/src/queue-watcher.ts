import type { Logger } from 'pino';

export interface QueueWatcherOptions {
  /** Ids of the requests in the Grid's queue now (GET /se/grid/newsessionqueue/queue: no secret, tiny). */
  readonly probe: () => Promise<readonly string[]>;
  /** Pause between the end of one look and the start of the next. */
  readonly intervalMs: number;
  /**
   * Look only while this holds: some pool is at 0. That is where the wait for a poll is the whole
   * reaction time (KEDA acts on a pushed `true` at once); above 0 the HPA's own 15 s period rules.
   */
  readonly armed: () => boolean;
  /** A request id not seen on the previous look: poll the Grid now. */
  readonly onNewRequest: () => Promise<unknown>;
  readonly logger: Logger;
}

/**
 * Looks at the Grid's queue between polls, cheaply, and asks for a full poll the moment a new
 * request appears. The Grid has no way to tell a client about a queued request (no long-poll; the
 * event bus is ZeroMQ), so this is the cheapest way to know within a fraction of a second: one small
 * GET per interval against the full GraphQL query per poll. One look at a time; a failed look is
 * skipped (the regular poll reports the Grid's health).
 */
export class QueueWatcher {
  readonly #options: QueueWatcherOptions;
  #seen = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #looks = 0;
  #triggers = 0;

  constructor(options: QueueWatcherOptions) {
    this.#options = options;
  }

  /** Looks taken and polls asked for, for the tests and the bench. */
  get counts(): { looks: number; triggers: number } {
    return { looks: this.#looks, triggers: this.#triggers };
  }

  start(): void {
    this.#stopped = false;
    const tick = async () => {
      if (this.#options.armed()) await this.#look();
      if (this.#stopped) return;
      this.#timer = setTimeout(() => {
        this.#running = tick();
      }, this.#options.intervalMs);
    };
    this.#running = tick();
  }

  /** Stops the schedule and waits for a look in flight (bounded by the client's timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  // --- internal ---

  async #look(): Promise<void> {
    this.#looks++;
    let ids: readonly string[];
    try {
      ids = await this.#options.probe();
    } catch (error) {
      this.#options.logger.debug({ err: error }, 'queue look failed');
      return;
    }
    const fresh = ids.some((id) => !this.#seen.has(id));
    this.#seen = new Set(ids);
    if (!fresh) return;
    this.#triggers++;
    try {
      await this.#options.onNewRequest();
    } catch (error) {
      // One line, as the poller's own failures; the stack only at debug level.
      this.#options.logger.warn(
        { error: (error as Error)?.message },
        'poll after a new queued request failed',
      );
      this.#options.logger.debug({ err: error }, 'poll after a new queued request failed: the stack');
    }
  }
}
