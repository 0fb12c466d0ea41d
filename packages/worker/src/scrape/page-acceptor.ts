import type { Logger } from 'pino';
import type { ManifestNote } from '../output/manifest.ts';
import type { JobSpec, ScrapedRecord } from '../spec/job-spec.ts';
import { DetailJoins } from './detail-joins.ts';
import { isHttpUrl } from './is-http-url.ts';
import type { OrderedSink } from './ordered-sink.ts';
import type { PageRequest, RequestQueue } from './request-queue.ts';
import type { RobotsRules } from './robots-rules.ts';
import type { RunTally } from './run-verdict.ts';
import type { ScrapeStats } from './scrape-stats.ts';
import type { PageOutcome } from './visit-page.ts';

/** What the acceptor takes from the job's options. */
export interface AcceptorJob {
  spec: JobSpec;
  stats: ScrapeStats;
  logger: Logger;
}

/** The run's parts the acceptor feeds. */
export interface AcceptorParts {
  queue: RequestQueue;
  sink: OrderedSink;
  /** undefined when the spec says `robotsTxt: ignore`. */
  robots: RobotsRules | undefined;
  /** Something the user must know (manifest `notes`), logged at `level`. */
  note: (entry: ManifestNote, level?: 'warn' | 'error') => void;
  /** The run is not whole: it fails with this reason once it ends (the first reason is kept). */
  fail: (reason: string) => void;
}

/**
 * What enters the queue and what leaves a page: admits pages (http(s) only, listing pages up to
 * limits.maxPages), skips those robots.txt disallows, and turns a page's outcome into records in
 * order, up to limits.maxItems, each item joined with its detail page's fields (read once, shared by
 * every item pointing at it). Keeps the tally the run's verdict is made from.
 */
export class PageAcceptor {
  readonly tally: Omit<RunTally, 'records' | 'fieldsMatched'> & { fieldsMatched: Set<string> } = {
    listingPages: 0,
    itemsMatched: 0,
    detailPages: 0,
    fieldsMatched: new Set<string>(),
  };
  /** Items not written: their detail page failed for good. */
  lostItems = 0;
  readonly #o: AcceptorJob & AcceptorParts;
  readonly #joins = new DetailJoins();
  /** An item's detail fields when its page is not read: all null. */
  readonly #noDetail: ScrapedRecord;
  #listingPages = 0;
  #itemsAccepted = 0;
  #detailUrlMissingNoted = false;

  constructor(job: AcceptorJob, parts: AcceptorParts) {
    this.#o = { spec: job.spec, stats: job.stats, logger: job.logger, ...parts };
    this.#noDetail = Object.fromEntries(
      Object.keys(job.spec.detail?.fields ?? {}).map((name) => [name, null]),
    );
  }

  /** Queues a page; false when it is not (seen before, not http(s), past maxPages, stopping). */
  admit(request: Omit<PageRequest, 'attempts'>): boolean {
    const { queue, stats, logger } = this.#o;
    if (!isHttpUrl(request.url)) {
      logger.warn({ url: request.url }, 'not an http or https URL: not followed');
      return false;
    }
    if (request.kind === 'listing' && this.#listingPages >= this.#o.spec.limits.maxPages) return false;
    const added = queue.add(request);
    if (added && request.kind === 'listing') this.#listingPages++;
    stats.outstanding = queue.outstanding;
    return added;
  }

  /** robots.txt: false when the page is skipped (its detail items are written without detail fields). */
  async allowed(request: PageRequest): Promise<boolean> {
    const { robots } = this.#o;
    if (!robots) return true;
    const verdict = await robots.check(request.url);
    if (verdict.allowed) return true;
    this.#o.stats.pagesSkipped++;
    this.#o.note({
      code: 'ROBOTS_DISALLOWED',
      url: request.url,
      message: `not read: disallowed by ${verdict.why} (robotsTxt: ignore reads it anyway)`,
    });
    if (request.kind === 'detail') await this.#o.sink.write(this.#joins.resolve(request.url, this.#noDetail));
    return false;
  }

  /** A page read completely: its records written (or waiting for their detail page), its next page queued. */
  async accept(request: PageRequest, outcome: PageOutcome): Promise<void> {
    const { spec, sink } = this.#o;
    for (const name of outcome.fieldsMatched) this.tally.fieldsMatched.add(name);
    if (request.kind === 'detail') {
      this.tally.detailPages++;
      await sink.write(this.#joins.resolve(request.url, outcome.records[0] ?? this.#noDetail));
      return;
    }
    this.tally.listingPages += outcome.pagesRead;
    this.tally.itemsMatched += outcome.itemsMatched;
    const { maxItems } = spec.limits;
    const kept = outcome.records.slice(0, Math.max(0, maxItems - this.#itemsAccepted));
    this.#itemsAccepted += kept.length;
    await sink.write(spec.detail ? this.#joinDetails(request, kept) : kept);
    if (outcome.unfollowable) {
      this.#o.note({ code: 'NEXT_NOT_FOLLOWABLE', url: request.url, message: outcome.unfollowable }, 'error');
      // The pages read so far are written; the job still fails, so nobody takes them for all of them.
      if (spec.pagination?.onUnfollowable !== 'warn')
        this.#o.fail(`${outcome.unfollowable} (pagination.onUnfollowable: warn accepts this)`);
    }
    if (
      outcome.next &&
      spec.pagination &&
      request.depth < spec.pagination.maxPages &&
      this.#itemsAccepted < maxItems
    )
      this.admit({ url: outcome.next, kind: 'listing', depth: request.depth + 1 });
  }

  /** A page failed for good: the items waiting for it (a detail page) are lost, and logged. */
  failed(request: PageRequest): void {
    if (request.kind !== 'detail') return;
    const waiting = this.#joins.fail(request.url);
    if (waiting > 0)
      this.#o.logger.error({ url: request.url, items: waiting }, 'items of this detail page not written');
    this.lostItems += waiting;
  }

  // --- internal ---

  /** Items with their detail page read already, ready to write; the others wait for theirs. */
  #joinDetails(request: PageRequest, items: ScrapedRecord[]): ScrapedRecord[] {
    const detail = this.#o.spec.detail!;
    const ready: ScrapedRecord[] = [];
    for (const item of items) {
      const url = item[detail.urlField];
      if (typeof url !== 'string' || !isHttpUrl(url)) {
        // The user asked for the item; the detail fields are what is missing, so they are null.
        if (!this.#detailUrlMissingNoted)
          this.#o.note({
            code: 'DETAIL_URL_MISSING',
            url: request.url,
            message: `an item has no http(s) ${detail.urlField}: written with its detail fields null`,
          });
        this.#detailUrlMissingNoted = true;
        ready.push({ ...item, ...this.#noDetail });
        continue;
      }
      const join = this.#joins.add(url, item);
      if (join.kind === 'joined') ready.push(join.record);
      else if (join.kind === 'lost') this.lostItems++;
      else if (join.kind === 'queue' && !this.admit({ url, kind: 'detail', depth: request.depth }))
        this.#joins.fail(url); // only when the job is stopping: it fails anyway
    }
    return ready;
  }
}
