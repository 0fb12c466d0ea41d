import type { ScrapedRecord } from '../spec/job-spec.ts';
import { oneLine } from './one-line.ts';
import type { ScrapeStats } from './scrape-stats.ts';

export class SinkError extends Error {
  readonly code = 'SINK_FAILED';
}

/**
 * One write chain in front of the record writer: the records of every lane reach it in order, one
 * at a time, never interleaved mid-record; each written record is counted in `stats.records`.
 */
export class OrderedSink {
  readonly #sink: { write(record: ScrapedRecord): Promise<void> };
  readonly #stats: ScrapeStats;
  #writes: Promise<void> = Promise.resolve();

  constructor(sink: { write(record: ScrapedRecord): Promise<void> }, stats: ScrapeStats) {
    this.#sink = sink;
    this.#stats = stats;
  }

  /** Writes the records after everything written before; throws SinkError when the writer fails. */
  async write(records: ScrapedRecord[]): Promise<void> {
    this.#writes = this.#writes.then(async () => {
      for (const record of records) {
        try {
          await this.#sink.write(record);
        } catch (error) {
          // Not the page's fault, and part of the page may be written: retrying would duplicate.
          throw new SinkError(`cannot write a record: ${oneLine(error)}`, { cause: error });
        }
        this.#stats.records++;
      }
    });
    await this.#writes;
  }

  /** Every write issued has finished (a write error has already stopped the job with its reason). */
  async settled(): Promise<void> {
    await this.#writes.catch(() => {});
  }
}
