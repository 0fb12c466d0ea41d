import type { ManifestNote } from '../output/manifest.ts';
import type { Shard } from '../shard/read-shard.ts';
import { shardStartUrls } from '../shard/shard-start-urls.ts';
import type { JobSpec, ScrapedRecord } from '../spec/job-spec.ts';
import { expandStartUrls } from './expand-start-urls.ts';
import { HostGate } from './host-gate.ts';
import { OrderedSink } from './ordered-sink.ts';
import { PageAcceptor } from './page-acceptor.ts';
import { type PageRequest, RequestQueue } from './request-queue.ts';
import { RobotsRules } from './robots-rules.ts';
import { runVerdict } from './run-verdict.ts';
import { type LaneOptions, runSessionLane, type ScrapeFailure } from './session-lane.ts';

export interface ScrapeJobOptions extends LaneOptions {
  /** Where records go; writes are issued one at a time, in order. */
  sink: { write(record: ScrapedRecord): Promise<void> };
  /** In an Indexed Job: only this shard's start URLs; the pages they lead to stay with it. */
  shard?: Shard;
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

/**
 * Scrapes the spec's pages with `limits.concurrency` browser sessions on the Grid. Each session
 * runs a lane (session-lane.ts) that takes pages from one shared queue (URLs deduplicated),
 * logging in first when the spec says so, replacing a lost session and retrying a page with
 * backoff. A page is written only once it has been read completely (page-acceptor.ts, through one
 * ordered write chain), so a retry never duplicates records; a detail page is read once and joined
 * into every item that points at it. The job fails once more than limits.maxFailedPages have
 * failed for good, and when the run is not whole: a next control it cannot follow, an items
 * selector that matched nothing, fewer records than limits.minItems.
 */
export async function scrapeJob(options: ScrapeJobOptions): Promise<ScrapeResult> {
  const { spec, stats, logger, signal } = options;
  const { limits } = spec;
  const queue = new RequestQueue();
  const failures: ScrapeFailure[] = [];
  const notes: ManifestNote[] = [];
  let failedReason: string | undefined;
  const fail = (reason: string) => {
    failedReason ??= reason;
  };
  const stop = (reason: string) => {
    fail(reason);
    queue.close();
  };
  const note = (entry: ManifestNote, level: 'warn' | 'error' = 'warn') => {
    notes.push(entry);
    logger[level]({ code: entry.code, ...(entry.url ? { url: entry.url } : {}) }, entry.message);
  };
  const sink = new OrderedSink(options.sink, stats);
  const pages = new PageAcceptor(options, { queue, sink, robots: _robots(spec), note, fail });
  stats.minItems = limits.minItems;
  const onAbort = () => queue.close();
  signal.addEventListener('abort', onAbort, { once: true });
  for (const url of shardStartUrls(expandStartUrls(spec.start), options.shard))
    pages.admit({ url, kind: 'listing', depth: 1 });

  const failedForGood = (request: PageRequest, failure: ScrapeFailure) => {
    failures.push(failure);
    pages.failed(request);
    if (failures.length > limits.maxFailedPages)
      stop(`${failures.length} pages failed, more than limits.maxFailedPages (${limits.maxFailedPages})`);
  };
  const run = { queue, gate: new HostGate(limits.delayPerHostMs), pages, stop, failedForGood };
  try {
    await Promise.all(
      Array.from({ length: limits.concurrency }, (_, i) => runSessionLane(i + 1, options, run)),
    );
    await sink.settled();
  } finally {
    signal.removeEventListener('abort', onAbort);
    queue.close();
    stats.outstanding = 0;
  }
  const base = { failures, notes, pages: stats.pagesSucceeded };
  if (signal.aborted) return { status: 'aborted', reason: 'terminated by a signal', ...base };
  if (pages.lostItems > 0)
    note(
      {
        code: 'DETAIL_ITEMS_LOST',
        message: `${pages.lostItems} items not written: their detail page failed for good (see failures)`,
      },
      'error',
    );
  const verdict = runVerdict(spec, { ...pages.tally, records: stats.records });
  for (const entry of verdict.notes) note(entry, entry.code === 'FIELD_NEVER_MATCHED' ? 'warn' : 'error');
  failedReason ??= verdict.failure;
  if (failedReason) return { status: 'failed', reason: failedReason, ...base };
  return { status: 'succeeded', ...base };
}

/** The product token matched against robots.txt groups when the spec sets no user agent. */
export const DEFAULT_AGENT_TOKEN = 'scrapegrid';

// --- internal ---

/** robots.txt rules for the spec's user agent, or undefined when the spec says `robotsTxt: ignore`. */
function _robots(spec: JobSpec): RobotsRules | undefined {
  if (spec.robotsTxt !== 'obey') return undefined;
  const agentToken = spec.browser.userAgent?.split(/[\s/]/)[0] || DEFAULT_AGENT_TOKEN;
  return new RobotsRules({ agentToken, userAgent: spec.browser.userAgent ?? DEFAULT_AGENT_TOKEN });
}
