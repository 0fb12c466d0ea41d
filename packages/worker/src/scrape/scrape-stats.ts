export type PageOutcomeKind = 'succeeded' | 'retried' | 'failed';

/**
 * The one snapshot of a scrape's progress: the engine updates it, the progress log and the
 * Prometheus metrics read it. Page durations are also pushed to listeners (a histogram).
 */
export class ScrapeStats {
  readonly startedAt = Date.now();
  pagesSucceeded = 0;
  pagesFailed = 0;
  records = 0;
  retries = 0;
  sessionsReplaced = 0;
  /** Browser sessions opened (each one logs in when the spec has a login). */
  sessionsOpened = 0;
  /** Pages not read because robots.txt disallows them. */
  pagesSkipped = 0;
  /** The spec's limits.minItems: a run that writes fewer records fails. */
  minItems = 0;
  /** Pages queued, in backoff or being visited. */
  outstanding = 0;
  readonly #listeners: ((seconds: number, outcome: PageOutcomeKind) => void)[] = [];

  onPage(listener: (seconds: number, outcome: PageOutcomeKind) => void): void {
    this.#listeners.push(listener);
  }

  pageFinished(durationMs: number, outcome: PageOutcomeKind): void {
    if (outcome === 'succeeded') this.pagesSucceeded++;
    else if (outcome === 'failed') this.pagesFailed++;
    else this.retries++;
    for (const listener of this.#listeners) listener(durationMs / 1000, outcome);
  }
}
